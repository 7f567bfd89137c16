/**
 * Webhook signatures, both ways (the webhook verifies; the local stand-ins sign):
 *   - Resend (Svix / Standard Webhooks): headers svix-id, svix-timestamp (Unix seconds), svix-signature
 *     `v1,<base64 HMAC-SHA256(key, "${id}.${timestamp}.${body}")>`, key = base64-decoded part of `whsec_…`,
 *     several signatures space-separated, ±300 s tolerance;
 *   - Twilio: X-Twilio-Signature = base64 HMAC-SHA1(auth token, url + each param name and value, names sorted).
 */
import { signWebhook } from "../auth/standard_webhooks.ts";

const encoder = new TextEncoder();

function base64(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

/** Imported HMAC-SHA1 keys by auth token: every Twilio report is signed and checked with the same one. */
const sha1Keys = new Map<string, Promise<CryptoKey>>();

async function hmacSha1(secret: string, message: string): Promise<string> {
  let key = sha1Keys.get(secret);
  if (!key) {
    if (sha1Keys.size >= 16) sha1Keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    sha1Keys.set(secret, key);
  }
  return base64(await crypto.subtle.sign("HMAC", await key, encoder.encode(message)));
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** Svix is Standard Webhooks under `svix-*` header names: the shared helper signs (one secret, one signature). */
export async function signSvix(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  return (await signWebhook([secret], body, id, new Date(timestamp * 1000)))["webhook-signature"];
}

export async function verifySvix(
  secret: string,
  headers: { id: string | null; timestamp: string | null; signature: string | null },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = (await signSvix(secret, id, Number(timestamp), body)).slice(3);
  return signature.split(" ").some((s) => s.startsWith("v1,") && constantTimeEqual(s.slice(3), expected));
}

export async function signTwilio(authToken: string, url: string, params: URLSearchParams): Promise<string> {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) {
    for (const value of [...new Set(params.getAll(name))].sort()) data += name + value;
  }
  return await hmacSha1(authToken, data);
}

export async function verifyTwilio(
  authToken: string,
  url: string,
  params: URLSearchParams,
  signature: string | null,
): Promise<boolean> {
  if (!signature) return false;
  return constantTimeEqual(await signTwilio(authToken, url, params), signature);
}
