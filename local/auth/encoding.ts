/** Small encoders the emulator needs: base64url without padding and hex SHA-224 (GoTrue's token hash). */
import { createHash } from "node:crypto";

export function encodeBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** hex(sha224(emailOrPhone + otp)) — crypto.GenerateTokenHash. */
export function tokenHash(emailOrPhone: string, otp: string): string {
  return createHash("sha224").update(emailOrPhone + otp).digest("hex");
}

/** A numeric one-time code of `digits` digits (crypto.GenerateOtp). */
export function generateOtp(digits: number): string {
  const max = 10 ** digits;
  const limit = Math.floor(0xffffffff / max) * max;
  let n: number;
  do n = crypto.getRandomValues(new Uint32Array(1))[0]; while (n >= limit);
  return String(n % max).padStart(digits, "0");
}
