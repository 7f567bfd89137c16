/**
 * Webhook signatures, both ways (the webhook verifies; the local stand-ins sign):
 *   - Resend (Svix / Standard Webhooks): headers svix-id, svix-timestamp (Unix seconds), svix-signature
 *     `v1,<base64 HMAC-SHA256(key, "${id}.${timestamp}.${body}")>`, key = base64-decoded part of `whsec_…`,
 *     several signatures space-separated, ±300 s tolerance;
 *   - Twilio: X-Twilio-Signature = base64 HMAC-SHA1(auth token, url + each param name and value, names sorted).
 */
import { createHmac } from "node:crypto";
import { signWebhook } from "../auth/standard_webhooks.ts";

/**
 * HMAC-SHA1 in base64, with node:crypto's synchronous HMAC: every Twilio report is signed by the stand-in and
 * checked by the webhook, and crypto.subtle's async sign cost about 1 ms of the main thread per call in the
 * bench's CPU profile (9 % of the busy time), against microseconds here.
 */
function hmacSha1(secret: string, message: string): string {
  return createHmac("sha1", secret).update(message, "utf8").digest("base64");
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

export function signTwilio(authToken: string, url: string, params: URLSearchParams): Promise<string> {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) {
    for (const value of [...new Set(params.getAll(name))].sort()) data += name + value;
  }
  return Promise.resolve(hmacSha1(authToken, data));
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
