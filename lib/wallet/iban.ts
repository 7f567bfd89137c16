/** Iranian IBAN (Sheba) checks: `IR` + 24 digits with an ISO 13616 mod-97 checksum, like ledger.iban_is_valid. */
import { walletErrors } from "./errors.ts";

const SHEBA = /^IR[0-9]{24}$/;

/** Upper-cases and drops spaces and dashes, so "ir06 2960-0000 …" compares as "IR062960…". */
export function normalizeIban(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

/** mod 97 of a long digit string, a few digits at a time (no bigint needed). */
function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(`${rest}${digits.slice(i, i + 7)}`) % 97;
  return rest;
}

/** True for a well-formed Sheba number whose check digits are right (after normalizing). */
export function isValidIban(input: string): boolean {
  const iban = normalizeIban(input);
  if (!SHEBA.test(iban)) return false;
  // Move "IR" + check digits to the end; letters become numbers (I = 18, R = 27); valid when the rest is 1.
  return mod97(`${iban.slice(4)}1827${iban.slice(2, 4)}`) === 1;
}

/** The normalized Sheba number, or InvalidIban. */
export function validateIban(input: string): string {
  if (!isValidIban(input)) throw walletErrors.refuse("invalid_iban");
  return normalizeIban(input);
}
