/** The transfer pages: the form (recipient, amount, note) and the confirmation that names the recipient. */
import { formatNumber, formatToman } from "../../lib/i18n/format.ts";
import { ReauthField, type ReauthState } from "../auth/ReauthField.tsx";
import type { RecipientPreview } from "../../lib/wallet/recipient.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { TextField } from "../forms/Field.tsx";
import { KeyedForm } from "./KeyedForm.tsx";
import { AmountField } from "../ui/AmountField.tsx";
import type { I18n } from "../ui/types.ts";

export type TransferValues = Partial<Record<"recipient" | "tomans" | "note" | "key", string>>;

export interface TransferFormProps extends I18n {
  values: TransferValues;
  errors?: FieldErrors;
  problem?: string;
  /** What the wallet can send, in rials. */
  available: bigint;
  /** The smallest transfer, in rials (named by its error). */
  minimum?: bigint;
}

export function TransferForm(
  { t, locale, values, errors = {}, problem, available, minimum = 10n }: TransferFormProps,
) {
  const err = (name: string) => errors[name] && t(errors[name]!, { amount: formatToman(minimum, locale) });
  return (
    <section class="card narrow stack">
      <h1>{t("wallet.transfer.title")}</h1>
      <p>{t("wallet.transfer.lead")}</p>
      <KeyedForm action="/wallet/transfer" idempotencyKey={values.key} problem={problem}>
        <TextField
          name="recipient"
          label={t("wallet.transfer.recipient")}
          hint={t("wallet.transfer.recipientHint")}
          value={values.recipient}
          error={err("recipient")}
          dir="ltr"
          autoComplete="off"
          maxLength={320}
          required
          autoFocus={!!errors.recipient}
        />
        <AmountField
          t={t}
          locale={locale}
          id="transfer-tomans"
          label={t("wallet.transfer.amount")}
          hint={t("wallet.transfer.availableHint", { amount: formatToman(available, locale) })}
          value={values.tomans}
          error={err("tomans")}
          autoFocus={!errors.recipient && !!errors.tomans}
        />
        <TextField
          name="note"
          label={t("wallet.transfer.note")}
          hint={t("wallet.transfer.noteHint")}
          value={values.note}
          error={err("note")}
          dir="auto"
          maxLength={200}
        />
        <div class="form-actions">
          <button type="submit" class="button">{t("wallet.transfer.continue")}</button>
          <a href="/wallet">{t("wallet.backToWallet")}</a>
        </div>
      </KeyedForm>
    </section>
  );
}

export interface TransferConfirmProps extends I18n {
  input: { recipient: string; tomans: bigint; note: string; key: string };
  who: RecipientPreview;
  /** The amount as typed, posted again unchanged. */
  typed: string;
  /** Present when this transfer needs the password again (large amounts, not re-authenticated lately). */
  reauth?: ReauthState;
  /** How long a re-authentication lasts, in minutes (for the hint). */
  reauthMinutes?: number;
}

/** The same four fields again as hidden inputs: confirming posts them, changing brings them back to the form. */
function Carry({ input, typed }: Pick<TransferConfirmProps, "input" | "typed">) {
  return (
    <>
      <input type="hidden" name="recipient" value={input.recipient} />
      <input type="hidden" name="tomans" value={typed} />
      <input type="hidden" name="note" value={input.note} />
      <input type="hidden" name="key" value={input.key} />
    </>
  );
}

/** Whether the address that matched is one its owner confirmed: the mark the payer should look for. */
function RecipientMark({ t, who }: Pick<TransferConfirmProps, "t" | "who">) {
  if (!who.verified) {
    return (
      <span class="badge badge-warning" id="confirm-verified">{t("wallet.transfer.unverifiedEmail")}</span>
    );
  }
  return (
    <span class="badge badge-verified" id="confirm-verified" data-verified="true">
      <span aria-hidden="true">✓</span>{" "}
      {t(who.via === "phone" ? "wallet.transfer.verifiedPhone" : "wallet.transfer.verifiedEmail")}
    </span>
  );
}

export function TransferConfirm(
  { t, locale, input, who, typed, reauth, reauthMinutes = 5 }: TransferConfirmProps,
) {
  const amount = formatToman(input.tomans, locale);
  return (
    <section class="card narrow stack transfer-confirm">
      <h1>{t("wallet.transfer.confirmTitle")}</h1>
      <p>{t("wallet.transfer.confirmLead")}</p>
      <dl class="facts">
        <dt>{t("wallet.transfer.to")}</dt>
        <dd>
          <span>
            <bdi class="ltr-inline" id="confirm-handle" dir="ltr">
              <strong>{who.masked}</strong>
            </bdi>{" "}
            <RecipientMark t={t} who={who} />
          </span>
          <span>
            <bdi dir="auto" id="confirm-name">{who.name || t("wallet.transfer.unnamed")}</bdi>
            <small class="hint" id="confirm-name-hint">{t("wallet.transfer.nameHint")}</small>
          </span>
        </dd>
        <dt>{t("wallet.column.amount")}</dt>
        <dd id="confirm-amount">{amount}</dd>
        {input.note && (
          <>
            <dt>{t("wallet.transfer.noteLabel")}</dt>
            <dd>
              <bdi dir="auto" id="confirm-note">{input.note}</bdi>
            </dd>
          </>
        )}
      </dl>
      <form method="post" action="/wallet/transfer/confirm">
        <Carry input={input} typed={typed} />
        {reauth && (
          <ReauthField
            t={t}
            id="transfer-reauth"
            state={reauth}
            minutes={formatNumber(reauthMinutes, locale)}
          />
        )}
        <div class="form-actions">
          <button type="submit" class="button">{t("wallet.transfer.confirm", { amount })}</button>
        </div>
      </form>
      <form method="get" action="/wallet/transfer">
        <Carry input={input} typed={typed} />
        <button type="submit" class="button button-ghost button-small">{t("wallet.transfer.change")}</button>
      </form>
    </section>
  );
}
