// routes/wallet/_errors.ts — a ledger refusal in words for the wallet pages
import type { AppContext } from "../../lib/http/env.ts";
import { en } from "../../lib/i18n/en.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { describeError, type DomainError } from "../../lib/errors.ts";

/** The page text for a refused wallet operation, in the request's language. */
export function walletErrorText(c: AppContext, error: DomainError): string {
  const key = `wallet.error.${error.code}`;
  if (key in en) return c.var.t(key as MessageKey);
  const reason = describeError(error, (k, d) => k in en ? c.var.t(k as MessageKey, d) : undefined).message;
  return c.var.t("wallet.error.generic", { reason });
}

/** The field message key for a refused wallet operation (a generic one when the code has none). */
export function walletErrorKey(error: DomainError): MessageKey {
  const key = `wallet.error.${error.code}`;
  return key in en ? key as MessageKey : "form.error.invalid";
}
