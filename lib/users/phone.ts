/**
 * Iranian mobile numbers as E.164, the one rule for every place a phone is typed (the profile form, the
 * transfer form's recipient). public.normalize_phone in SQL is the same rule, and the profiles trigger
 * applies it on every write; tests/integration/phone_normalize_test.ts checks that the two agree.
 */
import { latinDigits } from "../i18n/digits.ts";

/** What people put between digits: white space, NBSP, ZWNJ and direction marks, dashes, dots, brackets. */
const SEPARATORS = /[\s\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069().\u2010-\u2015-]/g;

/**
 * `0912 345 6789`, `+98 912…`, `98912…`, `0098912…`, `+98 (0)912…`, `9123456789`, in any digits → `+989123456789`;
 * undefined when the text is not an Iranian mobile number.
 */
export function normalizePhone(typed: string): string | undefined {
  let digits = latinDigits(typed).replace(SEPARATORS, "");
  if (!/^\+?[0-9]+$/.test(digits)) return undefined;
  if (digits.startsWith("+98")) digits = digits.slice(3);
  else if (digits.startsWith("0098")) digits = digits.slice(4);
  else if (digits.startsWith("98") && (digits.length === 12 || digits.length === 13)) {
    digits = digits.slice(2);
  } else if (digits.startsWith("+")) return undefined;
  if (digits.startsWith("0") && digits.length === 11) digits = digits.slice(1);
  return /^9[0-9]{9}$/.test(digits) ? `+98${digits}` : undefined;
}

/** `+989123456789` → `+98 912 *** 6789`: enough to recognise one's own number, not to learn someone's. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/^\+?98/, "");
  return /^9[0-9]{9}$/.test(digits) ? `+98 ${digits.slice(0, 3)} *** ${digits.slice(6)}` : "***";
}
