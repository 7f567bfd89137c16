/** How a request wants to be answered, and a refusal in its language: shared by guards, pages and the error handler. */
import type { AppContext } from "./env.ts";
import { describeError, type DomainError, type SafeDetails, type Translate } from "../errors.ts";
import { formatNumber } from "../i18n/format.ts";
import { isMessageKey, type Locale } from "../i18n/mod.ts";

/** API paths and clients that do not ask for HTML get JSON; browsers get pages. */
export function wantsJson(c: AppContext): boolean {
  return c.req.path.startsWith("/api/") || !(c.req.header("accept") ?? "").includes("text/html");
}

/**
 * A refusal's details as the message's placeholders: whole numbers (a minimum amount, a count) in the locale's
 * digits and grouping (`formatNumber`: ۱۰۰٬۰۰۰ in fa, 100,000 in en); text (field names, ids) as given.
 */
export function refusalParams(details: SafeDetails, locale: Locale): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(details)) {
    params[name] = typeof value === "number" && Number.isSafeInteger(value)
      ? formatNumber(value, locale)
      : value;
  }
  return params;
}

/** The catalogue in the request's language, for describeError (an app without the locale middleware has none). */
export function requestTranslator(c: AppContext): Translate {
  return (key, details) =>
    isMessageKey(key) && c.var.t ? c.var.t(key, refusalParams(details, c.var.locale ?? "en")) : undefined;
}

/** A refusal's message in the request's language. */
export function refusalText(c: AppContext, error: DomainError): string {
  return describeError(error, requestTranslator(c)).message;
}
