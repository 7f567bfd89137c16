// functions/notifications-webhook — provider delivery reports at /resend (Svix signature), /twilio
// (X-Twilio-Signature), /kavenegar and /smsir (secret token in the URL). Unverified → 401, nothing changes.
import { config } from "../../lib/config.ts";
import { notificationSecrets } from "../../lib/notifications/settings.ts";
import { applyReport, parseWebhook } from "../../lib/notifications/webhook.ts";
import { answering, jsonError } from "../_shared/http.ts";

export default function handler(request: Request): Promise<Response> {
  return answering("notifications-webhook", async () => {
    if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST");
    const path = new URL(request.url).pathname.replace(/^.*\/notifications-webhook/, "") || "/";
    const answer = await parseWebhook(request, path, notificationSecrets(config()));
    if (!answer.ok) {
      return jsonError(answer.status, answer.status === 401 ? "unauthorized" : "bad_request", answer.reason);
    }
    const changed = answer.report ? await applyReport(answer.report) : null;
    return Response.json({ ok: true, outbox_id: changed });
  });
}

if (import.meta.main) Deno.serve(handler);
