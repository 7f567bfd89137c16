/**
 * Calendar days as people type them: ISO Gregorian (2026-11-24, what <input type=date> sends) or Persian
 * (1405/09/03, in Latin or Persian digits, what a Persian reader writes). Stored and sent on as ISO.
 */
import { isValidJalaaliDate, toGregorian, toJalaali } from "jalaali-js";
import { MAX_YEAR, MIN_YEAR } from "../http/schemas.ts";

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

/** Persian and Arabic-Indic digits as Latin ones. */
function latinDigits(text: string): string {
  return text.replace(
    /[۰-۹٠-٩]/g,
    (d) => String(Math.max(PERSIAN_DIGITS.indexOf(d), ARABIC_DIGITS.indexOf(d))),
  );
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function isRealGregorianDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The ISO date (YYYY-MM-DD) a typed day means, or undefined when it is no real day. Years 1300..1599 are
 * Persian (Solar Hijri), years 1900..2999 Gregorian (MIN_YEAR..MAX_YEAR); the two ranges cannot be confused.
 */
export function parseCalendarDay(text: string): string | undefined {
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(latinDigits(text.trim()));
  if (!match) return undefined;
  const [y, m, d] = match.slice(1).map(Number);
  if (y >= 1300 && y < 1600) {
    if (!isValidJalaaliDate(y, m, d)) return undefined;
    const { gy, gm, gd } = toGregorian(y, m, d);
    return `${gy}-${pad(gm)}-${pad(gd)}`;
  }
  if (y >= MIN_YEAR && y <= MAX_YEAR && isRealGregorianDay(y, m, d)) return `${y}-${pad(m)}-${pad(d)}`;
  return undefined;
}

/** An ISO day written the Persian way, e.g. 2026-11-24 → ۱۴۰۵/۰۹/۰۳. */
export function persianDayText(isoDay: string): string {
  const [gy, gm, gd] = isoDay.split("-").map(Number);
  const { jy, jm, jd } = toJalaali(gy, gm, gd);
  return `${jy}/${pad(jm)}/${pad(jd)}`.replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]);
}
