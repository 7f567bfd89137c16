// routes/wallet/_errors.ts — a ledger refusal in words for the wallet pages
import type { AppContext } from "../../lib/http/env.ts";
import { isMessageKey, type MessageKey } from "../../lib/i18n/mod.ts";
import type { DomainError } from "../../lib/errors.ts";
import { refusalText } from "../../lib/http/answers.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";

/** The page text for a refused wallet operation, in the request's language. */
export function walletErrorText(c: AppContext, error: DomainError): string {
  const key = `wallet.error.${error.code}`;
  if (isMessageKey(key)) return c.var.t(key);
  return c.var.t("wallet.error.generic", { reason: refusalText(c, error) });
}

/** The field message key for a refused wallet operation (a generic one when the code has none). */
export function walletErrorKey(error: DomainError): MessageKey {
  const key = `wallet.error.${error.code}`;
  return isMessageKey(key) ? key : "form.error.invalid";
}

/**
 * The summary above a form: only when more than one field is wrong, or when what is wrong has no field of its
 * own on the page (`shown` lists the fields that show their error beside them). One error is shown once.
 */
export function errorSummary(
  c: AppContext,
  errors: FieldErrors,
  shown: readonly string[],
): string | undefined {
  const wrong = Object.keys(errors);
  return wrong.length > 1 || wrong.some((name) => !shown.includes(name))
    ? c.var.t("form.errorSummary")
    : undefined;
}
