/**
 * Locales, message lookup and locale negotiation (cookie, then Accept-Language, then Persian). The catalogues
 * are collected in en.ts and fa.ts from the domains' lib/<domain>/messages.{en,fa}.ts.
 */
import { en } from "./en.ts";
import { fa } from "./fa.ts";

export const LOCALES = ["fa", "en"] as const;
export type Locale = typeof LOCALES[number];
export type MessageKey = keyof typeof en;

/** True when the catalogue has `key` (for keys built at run time, e.g. `api.error.<code>`). */
export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}
export const DEFAULT_LOCALE: Locale = "fa";
export const LOCALE_COOKIE = "locale";

const catalogs: Record<Locale, Record<MessageKey, string>> = { fa, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function direction(locale: Locale): "rtl" | "ltr" {
  return locale === "fa" ? "rtl" : "ltr";
}

/** The message for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? `{${name}}`));
}

/** Picks the best of our locales from an Accept-Language header, honouring q-values. */
export function fromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(",").map((part) => {
    const [tag, ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return { lang: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) : 1 };
  }).filter((entry) => entry.q > 0).sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.lang).find(isLocale);
}

/** Cookie first (an explicit choice), then the browser's languages, then Persian. */
export function negotiateLocale(
  cookie: string | undefined,
  acceptLanguage: string | null | undefined,
): Locale {
  if (isLocale(cookie)) return cookie;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}
