/** Locale-aware formatting of money and dates; Persian digits and the Persian calendar for `fa`. */
import type { Locale } from "./mod.ts";

const intlLocale: Record<Locale, string> = { fa: "fa-IR", en: "en-US" };

/** Rials are what we store and send; people read tomans (1 toman = 10 rials). */
export function rialsToTomans(rials: bigint): bigint {
  return rials / 10n;
}

export function tomansToRials(tomans: bigint): bigint {
  return tomans * 10n;
}

/** A whole number with grouping, in the locale's digits. */
export function formatNumber(value: bigint | number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale], { maximumFractionDigits: 0 }).format(value);
}

/** An id or reference number without grouping, in the locale's digits: `پرداخت ۱۲۳۴` (ids are not amounts). */
export function formatId(id: bigint | number | string, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale], { useGrouping: false }).format(BigInt(id));
}

/**
 * Rials as the whole tomans people read. The rule, everywhere an amount is shown in tomans (pages, live
 * updates, customer CSV): round to the nearest toman, and a half toman (a remainder of exactly 5 rials) rounds
 * away from zero — 12,345 rials is 1,235 tomans, 12,344 rials is 1,234, −15 rials is −2. Amounts are still
 * stored and computed in rials; only the display rounds.
 */
export function roundedTomans(rials: bigint): bigint {
  const negative = rials < 0n;
  const magnitude = negative ? -rials : rials;
  const tomans = (magnitude + 5n) / 10n;
  return negative ? -tomans : tomans;
}

/** An amount held in rials shown in whole tomans (see roundedTomans), e.g. `۱۲٬۵۰۰ تومان` or `12,500 tomans`. */
export function formatToman(rials: bigint, locale: Locale): string {
  const tomans = roundedTomans(rials);
  const text = formatNumber(tomans, locale);
  return locale === "fa" ? `${text} تومان` : `${text} ${tomans === 1n ? "toman" : "tomans"}`;
}

/** An amount in rials as rials, e.g. `۱۲۵٬۰۰۰ ریال`. */
export function formatRial(rials: bigint, locale: Locale): string {
  return locale === "fa" ? `${formatNumber(rials, locale)} ریال` : `${formatNumber(rials, locale)} rials`;
}

/** A date (and optionally time) in Tehran time: Persian calendar for `fa`, Gregorian for `en`. */
export function formatDate(date: Date, locale: Locale, options: { time?: boolean } = {}): string {
  return new Intl.DateTimeFormat(locale === "fa" ? "fa-IR-u-ca-persian" : "en-GB", {
    timeZone: "Asia/Tehran",
    year: "numeric",
    month: "long",
    day: "numeric",
    ...(options.time ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
  }).format(date);
}

/**
 * A date and time in Tehran for spreadsheets: `1405/09/08 14:30` (Persian calendar) for `fa`,
 * `2026-11-29 14:30` for `en`; Latin digits in both, so spreadsheets sort and read them.
 */
export function formatSheetDateTime(date: Date, locale: Locale): string {
  const parts = new Intl.DateTimeFormat(locale === "fa" ? "fa-IR-u-ca-persian-nu-latn" : "en-CA-u-nu-latn", {
    timeZone: "Asia/Tehran",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const separator = locale === "fa" ? "/" : "-";
  return `${part("year")}${separator}${part("month")}${separator}${part("day")} ${part("hour")}:${
    part("minute")
  }`;
}
