/** Signs callback URLs: the payment id with an HMAC-SHA256, so nobody can aim a callback at another payment. */
import { isInt8Id } from "../http/schemas.ts";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

function message(paymentId: bigint | number | string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`pishkhan-payment-callback:${paymentId}`);
}

function toBase64Url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The 32 bytes of a signature, only from its one canonical spelling (the last character carries 4 bits). */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=");
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return toBase64Url(bytes.buffer) === text ? bytes : undefined;
}

/** The signature of a payment id (base64url, 43 characters). */
export async function signPaymentId(secret: string, paymentId: bigint | number | string): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", await hmacKey(secret), message(paymentId)));
}

/** True when `signature` was made for this payment id with this secret (WebCrypto compares in constant time). */
export async function verifyPaymentSignature(
  secret: string,
  paymentId: string,
  signature: string,
): Promise<boolean> {
  const bytes = fromBase64Url(signature);
  if (!bytes || !isInt8Id(paymentId)) return false;
  return await crypto.subtle.verify("HMAC", await hmacKey(secret), bytes, message(paymentId));
}
