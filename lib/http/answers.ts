/** How a request wants to be answered, and a refusal in its language: shared by guards, pages and the error handler. */
import type { AppContext } from "./env.ts";
import { describeError, type DomainError, type Translate } from "../errors.ts";
import { isMessageKey } from "../i18n/mod.ts";

/** API paths and clients that do not ask for HTML get JSON; browsers get pages. */
export function wantsJson(c: AppContext): boolean {
  return c.req.path.startsWith("/api/") || !(c.req.header("accept") ?? "").includes("text/html");
}

/** The catalogue in the request's language, for describeError (an app without the locale middleware has none). */
export function requestTranslator(c: AppContext): Translate {
  return (key, details) => isMessageKey(key) && c.var.t ? c.var.t(key, details) : undefined;
}

/** A refusal's message in the request's language. */
export function refusalText(c: AppContext, error: DomainError): string {
  return describeError(error, requestTranslator(c)).message;
}
