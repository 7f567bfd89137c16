// functions/notifications-dispatch — called by pg_cron every minute and, debounced, right after outbox inserts
// (net.http_post with the secret key): sends the due outbox rows through the providers (lib/notifications).
import { config } from "../../lib/config.ts";
import { dispatch } from "../../lib/notifications/dispatch.ts";
import { createProviders, type Provider } from "../../lib/notifications/providers.ts";
import type { ProviderName } from "../../lib/notifications/routing.ts";
import { providerSettings } from "../../lib/notifications/settings.ts";
import { answering, jsonError } from "../_shared/http.ts";
import { isServiceCaller } from "../_shared/service_auth.ts";

let cached: { for: unknown; providers: Partial<Record<ProviderName, Provider>> } | undefined;

/** One set of clients per configuration (SMTP keeps a connection pool). */
function providers() {
  const c = config();
  if (cached?.for !== c) cached = { for: c, providers: createProviders(providerSettings(c)) };
  return cached.providers;
}

export default function handler(request: Request): Promise<Response> {
  return answering("notifications-dispatch", async () => {
    if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST");
    if (!await isServiceCaller(request)) return jsonError(401, "unauthorized", "The secret key is required");
    if (config().NOTIFICATIONS_DISPATCH === "off") {
      return Response.json({ skipped: "NOTIFICATIONS_DISPATCH=off" });
    }
    // A closed connection (or a server shutting down) aborts the request: stop waiting for retries then.
    const report = await dispatch({ providers: providers(), signal: request.signal });
    return Response.json(report);
  });
}

if (import.meta.main) Deno.serve(handler);
