/**
 * Standard Webhooks signatures (standard-webhooks/libraries/go/webhook.go), as Supabase Auth signs its HTTP
 * hooks: `webhook-signature: v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>` where the key is the
 * secret after `v1,whsec_`, base64-decoded. Signing is used by the local Auth stand-in, verifying by
 * functions/auth-send-sms; one module so the two cannot drift apart.
 */

/** How far a `webhook-timestamp` may be from now, in seconds (the libraries' default tolerance). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

function base64Decode(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function base64Encode(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

/** The HMAC key of a `v1,whsec_<base64>` (or `whsec_<base64>`) secret. */
async function hmacKey(secret: string): Promise<CryptoKey> {
  const raw = secret.replace(/^v1,/, "").replace(/^whsec_/, "");
  return await crypto.subtle.importKey(
    "raw",
    base64Decode(raw) as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

async function sign(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await hmacKey(secret);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${base64Encode(new Uint8Array(mac))}`;
}

/** The three headers for `body`, one signature per secret joined by ", " (as GoTrue sends them). */
export async function signWebhook(
  secrets: string[],
  body: string,
  id = crypto.randomUUID(),
  now = new Date(),
): Promise<Record<string, string>> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const signatures = await Promise.all(secrets.map((s) => sign(s, id, timestamp, body)));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(", "),
  };
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export type WebhookCheck = { ok: true } | { ok: false; reason: "missing" | "stale" | "signature" };

/** Checks a request's headers and raw body against any of `secrets`. */
export async function verifyWebhook(
  secrets: string[],
  headers: Headers,
  body: string,
  now = new Date(),
): Promise<WebhookCheck> {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp) || !secrets.length) {
    return { ok: false, reason: "missing" };
  }
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) {
    return { ok: false, reason: "stale" };
  }
  // "v1,<sig> v1,<sig>" (the standard) and "v1,<sig>, v1,<sig>" (GoTrue) both split into the bare signatures.
  const offered = signatures.split(" ").flatMap((part) => {
    const [version, signature] = part.replace(/,$/, "").split(",");
    return version === "v1" && signature ? [signature] : [];
  });
  for (const secret of secrets) {
    const expected = (await sign(secret, id, Number(timestamp), body)).slice(3);
    if (offered.some((s) => sameText(s, expected))) return { ok: true };
  }
  return { ok: false, reason: "signature" };
}
