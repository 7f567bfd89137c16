/**
 * Mobile numbers as E.164, the one rule for every place a phone is typed (phone sign-in and sign-up, the
 * profile's verified number, the transfer form's recipient). Iranian numbers are accepted every way people
 * type them; other countries in international form (+… or 00…). public.normalize_phone in SQL is the same
 * rule for Iranian numbers; tests/integration/phone_normalize_test.ts checks that the two agree.
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

/** Why a typed number was refused: not a phone number at all, or an Iranian number that is no mobile. */
export type NumberProblem = "invalid" | "not_mobile";

export type MobileNumber = { ok: true; e164: string } | { ok: false; problem: NumberProblem };

/**
 * What a person typed → E.164 for Auth: Iranian mobiles (all forms, any digits, separators), or another
 * country's number in international form (`+44 7911 123456`, `0044…`). An Iranian landline (`021…`,
 * `+9821…`) is `not_mobile`, since it cannot receive the code; anything else is `invalid`.
 */
export function mobileNumber(typed: string): MobileNumber {
  const iranian = normalizePhone(typed);
  if (iranian) return { ok: true, e164: iranian };
  const compact = latinDigits(typed).replace(SEPARATORS, "");
  const international = compact.replace(/^00/, "+");
  if (/^\+98|^0[1-8]/.test(international)) {
    // Iran, but not 9…: a landline when the length is right, else a typo.
    const national = international.replace(/^\+98/, "0");
    return /^0[1-8][0-9]{9}$/.test(national)
      ? { ok: false, problem: "not_mobile" }
      : { ok: false, problem: "invalid" };
  }
  if (/^\+[1-9][0-9]{7,14}$/.test(international)) return { ok: true, e164: international };
  return { ok: false, problem: "invalid" };
}

/** `+989123456789` → `0912•••4567`: enough to recognise a number, not to learn it. Others: `+44 7•••3456`. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/^\+/, "");
  const iranian = digits.replace(/^98/, "");
  if (digits.startsWith("98") && /^9[0-9]{9}$/.test(iranian)) {
    return `0${iranian.slice(0, 3)}•••${iranian.slice(6)}`;
  }
  return /^[1-9][0-9]{7,14}$/.test(digits) ? `+${digits.slice(0, 3)}•••${digits.slice(-4)}` : "***";
}

/** `+989123456789` → `0912 345 6789` (how Iranians write their own number); others as `+…`. */
export function displayPhone(e164: string): string {
  const digits = e164.replace(/^\+/, "");
  const iranian = digits.replace(/^98/, "");
  if (digits.startsWith("98") && /^9[0-9]{9}$/.test(iranian)) {
    return `0${iranian.slice(0, 3)} ${iranian.slice(3, 6)} ${iranian.slice(6)}`;
  }
  return `+${digits}`;
}
