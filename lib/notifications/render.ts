/**
 * Template rendering, the same rules as notifications.render in SQL (in-app rows are rendered there; the
 * dispatcher and the admin preview render here): `{{name}}` is data.name as text, `{{name|toman}}` is a rial
 * amount shown as grouped tomans (Persian digits and separator in fa); an unknown variable renders as ''.
 */
export type Locale = "fa" | "en";

const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*(\|\s*toman\s*)?\}\}/g;
const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

/** Rials → tomans (÷10, truncated) with thousands grouping; fa uses Persian digits, ٬ and −. */
export function formatToman(rials: string, locale: Locale): string {
  if (!/^-?[0-9]+$/.test(rials)) return rials;
  const negative = rials.startsWith("-");
  const digits = (negative ? rials.slice(1) : rials).replace(/^0+(?=\d)/, "");
  const tomans = digits.length > 1 ? digits.slice(0, -1) : "0";
  const grouped = tomans.replace(/\B(?=(\d{3})+$)/g, ",");
  const signed = (negative && tomans !== "0" ? "-" : "") + grouped;
  if (locale !== "fa") return signed;
  return signed.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]).replace(/,/g, "٬").replace(/-/g, "−");
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  return JSON.stringify(value);
}

/** Fills the placeholders of `template` from `data`. */
export function renderTemplate(template: string, data: Record<string, unknown>, locale: Locale): string {
  return template.replace(PLACEHOLDER, (_all, name: string, toman: string | undefined) => {
    const value = asText(data[name]);
    return toman ? formatToman(value, locale) : value;
  });
}

/** The variable names a template uses. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Merges data.by_locale[locale] over data (values that differ per language, e.g. a broadcast's text). */
export function localizedData(data: Record<string, unknown>, locale: Locale): Record<string, unknown> {
  const byLocale = data.by_locale as Record<string, unknown> | undefined;
  const own = byLocale && typeof byLocale === "object" ? byLocale[locale] : undefined;
  if (!own || typeof own !== "object") return data;
  const { by_locale: _dropped, ...rest } = data;
  return { ...rest, ...(own as Record<string, unknown>) };
}
