// routes/wallet/_errors.ts — a ledger refusal in words for the wallet pages
import type { AppContext } from "../../lib/http/env.ts";
import { en } from "../../lib/i18n/en.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { apiMessage } from "../../lib/api/errors.ts";
import type { WalletError } from "../../lib/wallet/errors.ts";

/** The page text for a refused wallet operation, in the request's language. */
export function walletErrorText(c: AppContext, error: WalletError): string {
  const key = `wallet.error.${error.code}`;
  if (key in en) return c.var.t(key as MessageKey);
  return c.var.t("wallet.error.generic", { reason: apiMessage(c, error.code, error.message) });
}

/** The field message key for a refused wallet operation (a generic one when the code has none). */
export function walletErrorKey(error: WalletError): MessageKey {
  const key = `wallet.error.${error.code}`;
  return key in en ? key as MessageKey : "form.error.invalid";
}
