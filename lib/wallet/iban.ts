/** Iranian IBAN (Sheba) checks: `IR` + 24 digits with an ISO 13616 mod-97 checksum, like ledger.iban_is_valid. */
import { walletErrors } from "./errors.ts";
import { latinDigits } from "../i18n/digits.ts";

const SHEBA = /^IR[0-9]{24}$/;

/** Spaces, dashes, and the invisible marks a copy from a right-to-left text brings along (ZWNJ, LRM, RLM…). */
const FILLER = /[\s\-_.\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * The Sheba number as people type it, written one way: Persian or Arabic digits as Latin ones, spaces and
 * dashes dropped, upper case, and `IR` added to 24 bare digits. So "ir06 2960-0000 …" and "۰۶۲۹۶۰…"
 * compare as "IR062960…".
 */
export function normalizeIban(input: string): string {
  const text = latinDigits(input).replace(FILLER, "").toUpperCase();
  return /^\d{24}$/.test(text) ? `IR${text}` : text;
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
