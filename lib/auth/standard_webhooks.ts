/**
 * Standard Webhooks signatures, as Supabase Auth signs its HTTP hooks (spec §2.5): headers `webhook-id`,
 * `webhook-timestamp` and `webhook-signature: v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>`, the key
 * being the secret after `v1,whsec_`, base64-decoded. Both sides use the reference library (npm
 * `standardwebhooks`): signing for the local Auth stand-in, verifying for functions/auth-send-sms.
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";

/** `v1,whsec_<base64>` (GoTrue's form) → the library's `whsec_<base64>`. */
const webhookFor = (secret: string) => new Webhook(secret.replace(/^v1,/, ""));

/** The three headers for `body`, one signature per secret joined by ", " (as GoTrue sends them). */
export function signWebhook(
  secrets: string[],
  body: string,
  id: string = crypto.randomUUID(),
  now = new Date(),
): Promise<Record<string, string>> {
  const signatures = secrets.map((secret) => webhookFor(secret).sign(id, now, body));
  return Promise.resolve({
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": signatures.join(", "),
  });
}

export type WebhookCheck = { ok: true } | { ok: false; reason: "missing" | "stale" | "signature" };

/** Checks a request's headers and raw body against any of `secrets` (the library's ±5 minute tolerance). */
export function verifyWebhook(secrets: string[], headers: Headers, body: string): Promise<WebhookCheck> {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signature = headers.get("webhook-signature");
  if (!id || !timestamp || !signature || !secrets.length) {
    return Promise.resolve({ ok: false, reason: "missing" });
  }
  // GoTrue joins several signatures with ", "; the standard separates them with spaces.
  const given = {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signature.replaceAll(", v1,", " v1,"),
  };
  let reason: "stale" | "signature" = "signature";
  for (const secret of secrets) {
    try {
      webhookFor(secret).verify(body, given);
      return Promise.resolve({ ok: true });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (/timestamp/i.test(error.message)) reason = "stale";
    }
  }
  return Promise.resolve({ ok: false, reason });
}
