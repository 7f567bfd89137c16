/**
 * Signs callback URLs: the payment id with an HMAC-SHA256, so nobody can aim a callback at another payment.
 * node:crypto's synchronous HMAC: every top-up signs once (initiate) and verifies once (the callback), and
 * WebCrypto's asynchronous sign/verify cost the top-up bench's process more than the HMAC itself (issue 13).
 */
import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";
import { isInt8Id } from "../http/schemas.ts";

function mac(secret: string, paymentId: bigint | number | string): Buffer {
  return createHmac("sha256", secret).update(`pishkhan-payment-callback:${paymentId}`).digest();
}

/** The 32 bytes of a signature, only from its one canonical spelling (the last character carries 4 bits). */
function fromBase64Url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.length === 32 && bytes.toString("base64url") === text ? bytes : undefined;
}

/** The signature of a payment id (base64url, 43 characters). */
export function signPaymentId(secret: string, paymentId: bigint | number | string): string {
  return mac(secret, paymentId).toString("base64url");
}

/** True when `signature` was made for this payment id with this secret (compared in constant time). */
export function verifyPaymentSignature(secret: string, paymentId: string, signature: string): boolean {
  const bytes = fromBase64Url(signature);
  if (!bytes || !isInt8Id(paymentId)) return false;
  return timingSafeEqual(bytes, mac(secret, paymentId));
}
