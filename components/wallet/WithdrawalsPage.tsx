/** My withdrawals: the request form (amount, IBAN) and the list of requests, each cancellable while pending. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate, formatNumber, formatToman } from "../../lib/i18n/format.ts";
import { ReauthField, type ReauthState } from "../auth/ReauthField.tsx";
import type { Withdrawal } from "../../lib/wallet/withdrawals.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { describedBy, FieldError, FieldHint } from "../forms/Field.tsx";
import { IbanInputIsland } from "../islands.ts";
import { IbanWithBank } from "./BankName.tsx";
import { KeyedForm } from "./KeyedForm.tsx";
import { AmountField } from "../ui/AmountField.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { Notice } from "../ui/Notice.tsx";
import { HISTORY_LABELS, Pagination } from "../ui/Pagination.tsx";
import type { I18n } from "../ui/types.ts";
import { WithdrawalBadge } from "./WithdrawalBadge.tsx";

export type WithdrawalValues = Partial<Record<"tomans" | "iban" | "key", string>>;

export interface WithdrawalsPageProps extends I18n {
  available: bigint;
  withdrawals: Withdrawal[];
  cursor?: string;
  nextCursor?: string | null;
  notice?: "requested" | "cancelled";
  values?: WithdrawalValues;
  errors?: FieldErrors;
  problem?: string;
  /** Present when the request needs the password again (no fresh re-authentication in this session). */
  reauth?: ReauthState;
  /** How long a re-authentication lasts, in minutes (for the hint). */
  reauthMinutes?: number;
  /** The withdrawal just requested (notice=requested): the message names its amount and IBAN. */
  requested?: Withdrawal;
  /** The smallest withdrawal, in rials. */
  minimum?: bigint;
}

function RequestForm(
  { t, locale, available, values = {}, errors = {}, problem, reauth, reauthMinutes = 5, minimum = 10n }: Omit<
    WithdrawalsPageProps,
    "withdrawals"
  >,
) {
  const min = formatToman(minimum, locale);
  const err = (name: string) => errors[name] && t(errors[name]!, { amount: min });
  return (
    <section class="card narrow stack" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t("wallet.withdrawals.requestTitle")}</h2>
      <p>{t("wallet.withdrawals.lead")}</p>
      <KeyedForm action="/wallet/withdrawals" idempotencyKey={values.key} problem={problem}>
        <AmountField
          t={t}
          locale={locale}
          id="withdraw-tomans"
          label={t("wallet.withdrawals.amount")}
          hint={t("wallet.withdrawals.minHint", { amount: formatToman(available, locale), min })}
          value={values.tomans}
          error={err("tomans")}
          autoFocus={!!errors.tomans}
        />
        <div class="field">
          <label for="withdraw-iban">{t("wallet.withdrawals.iban")}</label>
          <IbanInputIsland
            locale={locale}
            id="withdraw-iban"
            name="iban"
            value={values.iban ?? ""}
            maxLength={60}
            required
            invalid={!!errors.iban}
            describedBy={describedBy("withdraw-iban", t("wallet.withdrawals.ibanHint"), err("iban"))}
            autoFocus={!errors.tomans && !!errors.iban}
          />
          <FieldHint id="withdraw-iban" text={t("wallet.withdrawals.ibanHint")} />
          <FieldError id="withdraw-iban" text={err("iban")} />
        </div>
        {reauth && (
          <ReauthField
            t={t}
            id="withdraw-reauth"
            state={reauth}
            minutes={formatNumber(reauthMinutes, locale)}
          />
        )}
        <div class="form-actions">
          <button type="submit" class="button">{t("wallet.withdrawals.submit")}</button>
        </div>
      </KeyedForm>
    </section>
  );
}

export function WithdrawalsPage(props: WithdrawalsPageProps) {
  const { t, locale, notice } = props;
  return (
    <div class="stack">
      <div class="page-head">
        <h1>{t("wallet.withdrawals.title")}</h1>
        <a href="/wallet">{t("wallet.backToWallet")}</a>
      </div>
      {notice === "requested" && props.requested
        ? (
          <Notice
            kind="success"
            id="withdrawal-notice"
            text={t("wallet.withdrawals.notice.requestedAmount", {
              amount: formatToman(props.requested.amount, locale),
              iban: `\u2066${props.requested.iban}\u2069`,
            })}
          />
        )
        : notice && <Notice kind="success" text={t(`wallet.withdrawals.notice.${notice}` as MessageKey)} />}
      <RequestForm {...props} />
      <section class="card stack" aria-labelledby="withdrawals-title">
        <h2 id="withdrawals-title">{t("wallet.withdrawals.listTitle")}</h2>
        <DataTable
          label={t("wallet.withdrawals.listTitle")}
          rows={props.withdrawals}
          empty={t("wallet.withdrawals.empty")}
          rowAttributes={(w) => ({ "data-withdrawal": w.id })}
          columns={[
            { header: t("wallet.column.date"), cell: (w) => formatDate(w.createdAt, locale, { time: true }) },
            { header: t("wallet.column.amount"), numeric: true, cell: (w) => formatToman(w.amount, locale) },
            {
              header: t("wallet.withdrawals.column.iban"),
              class: "nowrap",
              cell: (w) => <IbanWithBank iban={w.iban} locale={locale} />,
            },
            {
              header: t("wallet.withdrawals.column.status"),
              cell: (w) => <WithdrawalBadge t={t} status={w.status} />,
            },
            {
              header: t("wallet.withdrawals.column.reference"),
              cell: (w) =>
                w.bankReference
                  ? <bdi dir="ltr">{w.bankReference}</bdi>
                  : w.reviewNote && <bdi dir="auto">{w.reviewNote}</bdi>,
            },
            {
              header: "",
              cell: (w) =>
                w.status === "pending" && (
                  <form method="post" action={`/wallet/withdrawals/${w.id}/cancel`}>
                    <button type="submit" class="button button-ghost button-small">
                      {t("wallet.withdrawals.cancel")}
                    </button>
                  </form>
                ),
            },
          ]}
          pagination={
            <Pagination
              t={t}
              path="/wallet/withdrawals"
              cursor={props.cursor}
              next={props.nextCursor}
              labels={HISTORY_LABELS}
            />
          }
        />
      </section>
    </div>
  );
}
