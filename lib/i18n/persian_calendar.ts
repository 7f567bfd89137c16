/**
 * The Persian (Solar Hijri) calendar as a date picker shows it: month names, a Saturday-first week and the
 * weeks of a month. Pure (jalaali-js only), so the date-picker island and the tests share it.
 */
import { isValidJalaaliDate, jalaaliMonthLength, toGregorian, toJalaali } from "jalaali-js";

export const PERSIAN_MONTHS = [
  "فروردین",
  "اردیبهشت",
  "خرداد",
  "تیر",
  "مرداد",
  "شهریور",
  "مهر",
  "آبان",
  "آذر",
  "دی",
  "بهمن",
  "اسفند",
] as const;

/** Saturday first, as Iranian calendars print the week: full names and the one-letter column heads. */
export const PERSIAN_WEEKDAYS = [
  "شنبه",
  "یکشنبه",
  "دوشنبه",
  "سه‌شنبه",
  "چهارشنبه",
  "پنجشنبه",
  "جمعه",
] as const;
export const PERSIAN_WEEKDAY_SHORT = ["ش", "ی", "د", "س", "چ", "پ", "ج"] as const;

export interface PersianDay {
  jy: number;
  jm: number;
  jd: number;
}

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
export const persianNumber = (n: number | string) =>
  String(n).replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]);

/** 0 for Saturday … 6 for Friday. */
export function weekdayIndex(day: PersianDay): number {
  const { gy, gm, gd } = toGregorian(day.jy, day.jm, day.jd);
  return (new Date(Date.UTC(gy, gm - 1, gd)).getUTCDay() + 1) % 7;
}

/** The month's weeks, Saturday first: each week 7 cells, a day of the month or null outside it. */
export function monthWeeks(jy: number, jm: number): (number | null)[][] {
  const length = jalaaliMonthLength(jy, jm);
  const cells: (number | null)[] = Array(weekdayIndex({ jy, jm, jd: 1 })).fill(null);
  for (let d = 1; d <= length; d++) cells.push(d);
  while (cells.length % 7) cells.push(null);
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** `day` moved by `days` (negative: back), across months and years. */
export function addDays(day: PersianDay, days: number): PersianDay {
  const { gy, gm, gd } = toGregorian(day.jy, day.jm, day.jd);
  const date = new Date(Date.UTC(gy, gm - 1, gd + days));
  const { jy, jm, jd } = toJalaali(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  return { jy, jm, jd };
}

/** `day` moved by `months`, its day of the month kept or clamped to the month's last day. */
export function addMonths(day: PersianDay, months: number): PersianDay {
  const index = day.jy * 12 + day.jm - 1 + months;
  const jy = Math.floor(index / 12);
  const jm = index % 12 + 1;
  return { jy, jm, jd: Math.min(day.jd, jalaaliMonthLength(jy, jm)) };
}

/** Today in Tehran (UTC+03:30 all year) as a Persian day. */
export function persianToday(now = new Date()): PersianDay {
  const tehran = new Date(now.getTime() + 3.5 * 3600 * 1000);
  const { jy, jm, jd } = toJalaali(tehran.getUTCFullYear(), tehran.getUTCMonth() + 1, tehran.getUTCDate());
  return { jy, jm, jd };
}

/** A typed Persian day (Latin, Persian or Arabic digits, / - or . between), or undefined. */
export function readPersianDay(text: string): PersianDay | undefined {
  const latin = text.trim().replace(/[۰-۹]/g, (d) => String(PERSIAN_DIGITS.indexOf(d)))
    .replace(/[٠-٩]/g, (d) => String("٠١٢٣٤٥٦٧٨٩".indexOf(d)));
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(latin);
  if (!match) return undefined;
  const [jy, jm, jd] = match.slice(1).map(Number);
  return jy >= 1300 && jy < 1600 && isValidJalaaliDate(jy, jm, jd) ? { jy, jm, jd } : undefined;
}

/** The day as the field shows it: ۱۴۰۵/۰۹/۰۳. */
export function persianDayLabel(day: PersianDay): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return persianNumber(`${day.jy}/${pad(day.jm)}/${pad(day.jd)}`);
}

/** A day's full name for screen readers: شنبه ۳ آذر ۱۴۰۵. */
export function persianDayName(day: PersianDay): string {
  return `${PERSIAN_WEEKDAYS[weekdayIndex(day)]} ${persianNumber(day.jd)} ${PERSIAN_MONTHS[day.jm - 1]} ${
    persianNumber(day.jy)
  }`;
}

export const sameDay = (a?: PersianDay, b?: PersianDay) =>
  !!a && !!b && a.jy === b.jy && a.jm === b.jm && a.jd === b.jd;
