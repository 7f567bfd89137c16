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

/** An amount held in rials shown in tomans, e.g. `۱۲٬۵۰۰ تومان` or `12,500 tomans`. */
export function formatToman(rials: bigint, locale: Locale): string {
  const tomans = rials / 10n;
  const remainder = rials % 10n;
  const text = remainder === 0n
    ? formatNumber(tomans, locale)
    : new Intl.NumberFormat(intlLocale[locale], { minimumFractionDigits: 1 }).format(Number(rials) / 10);
  return locale === "fa"
    ? `${text} تومان`
    : `${text} ${tomans === 1n && remainder === 0n ? "toman" : "tomans"}`;
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
