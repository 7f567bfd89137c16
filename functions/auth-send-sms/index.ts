// functions/auth-send-sms — Supabase Auth's Send SMS hook ([auth.hook.send_sms] in supabase/config.toml).
// Auth POSTs {user, sms:{otp, phone}} signed with Standard Webhooks; a call whose signature does not verify
// with SEND_SMS_HOOK_SECRET is refused with 401 and sends nothing. A verified one queues a critical SMS with
// the code in the user's language; 200 {} tells Auth it was accepted.
import { config } from "../../lib/config.ts";
import { handleSendSmsHook } from "../../lib/phone/sms.ts";
import { answering, jsonError } from "../_shared/http.ts";

export function createSendSmsHandler(secrets: () => string[] = () => config().sendSmsHookSecrets) {
  return (request: Request): Promise<Response> =>
    answering("auth-send-sms", async () => {
      if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST");
      const body = await request.text();
      const answer = await handleSendSmsHook(secrets(), request.headers, body);
      if (answer.status === 401) {
        console.error(JSON.stringify({ level: "warn", function: "auth-send-sms", refused: answer.reason }));
        return jsonError(401, "invalid_signature", "The webhook signature does not verify");
      }
      if (answer.status === 400) return jsonError(400, "invalid_payload", answer.reason);
      return Response.json({});
    });
}

const handler = createSendSmsHandler();
export default handler;

if (import.meta.main) Deno.serve(handler);
