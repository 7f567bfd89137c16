// functions/notifications-poll — called by pg_cron every minute (notifications.request_poll, only when a poll is
// due): asks Kavenegar and SMS.ir about accepted SMS that have no final status yet, and applies the answers as
// the webhooks do (lib/notifications/poll.ts).
import { config } from "../../lib/config.ts";
import {
  createPollers,
  pollDeliveryStatus,
  type PolledProvider,
  type StatusPoller,
} from "../../lib/notifications/poll.ts";
import { providerSettings } from "../../lib/notifications/settings.ts";
import { answering, jsonError } from "../_shared/http.ts";
import { isServiceCaller } from "../_shared/service_auth.ts";

let cached: { for: unknown; pollers: Partial<Record<PolledProvider, StatusPoller>> } | undefined;

function pollers() {
  const c = config();
  if (cached?.for !== c) cached = { for: c, pollers: createPollers(providerSettings(c)) };
  return cached.pollers;
}

export default function handler(request: Request): Promise<Response> {
  return answering("notifications-poll", async () => {
    if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST");
    if (!await isServiceCaller(request)) return jsonError(401, "unauthorized", "The secret key is required");
    if (config().NOTIFICATIONS_DISPATCH === "off") {
      return Response.json({ skipped: "NOTIFICATIONS_DISPATCH=off" });
    }
    return Response.json(await pollDeliveryStatus({ pollers: pollers(), signal: request.signal }));
  });
}

if (import.meta.main) Deno.serve(handler);
