/**
 * One withdrawal for staff: amount, customer, IBAN, status and its people, and — while it is pending — the
 * forms that pay it (with the bank's reference) or reject it (with a reason). Four eyes: the staff member who
 * gave the first approval sees that the second is someone else's, not a form.
 */
import { formatDate, formatId, formatToman } from "../../lib/i18n/format.ts";
import type { Withdrawal } from "../../lib/wallet/withdrawals.ts";
import { TextField } from "../forms/Field.tsx";
import { Notice } from "../ui/Notice.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { WithdrawalBadge } from "./WithdrawalBadge.tsx";
import { IbanWithBank } from "./BankName.tsx";

export interface WithdrawalDetailPageProps extends PageProps {
  withdrawal: Withdrawal;
  emails: Map<string, string>;
  /** The signed-in staff member. */
  viewerId: string;
  problem?: string;
}

export function WithdrawalDetailPage(
  { t, locale, withdrawal: w, emails, viewerId, problem }: WithdrawalDetailPageProps,
) {
  const id = formatId(w.id, locale);
  const waitingForOther = w.status === "pending" && w.firstApprovedBy === viewerId;
  return (
    <div class="stack withdrawal-detail" data-withdrawal={w.id}>
      <Breadcrumbs t={t}>
        <a href="/admin/withdrawals">{t("admin.withdrawals.title")}</a>
      </Breadcrumbs>
      <h1>{t("admin.withdrawals.detail.title", { id })}</h1>
      <Notice kind="error" text={problem} />
      <section class="card">
        <dl class="facts">
          <dt>{t("wallet.column.amount")}</dt>
          <dd class="amount">{formatToman(w.amount, locale)}</dd>
          <dt>{t("admin.withdrawals.user")}</dt>
          <dd>
            {w.userId
              ? (
                <a href={`/admin/wallets/${w.userId}`} class="wrap-anywhere">
                  <bdi dir="ltr">{emails.get(w.userId) ?? w.userId}</bdi>
                </a>
              )
              : "—"}
          </dd>
          <dt>{t("wallet.withdrawals.column.iban")}</dt>
          <dd>
            <IbanWithBank iban={w.iban} locale={locale} />
          </dd>
          <dt>{t("wallet.withdrawals.column.status")}</dt>
          <dd>
            <WithdrawalBadge t={t} status={w.status} />
            {w.firstApprovedBy && w.status === "pending" && (
              <p class="hint first-approval">
                {t("admin.withdrawals.firstApprovedBy", {
                  email: emails.get(w.firstApprovedBy) ?? w.firstApprovedBy,
                })}
              </p>
            )}
          </dd>
          <dt>{t("admin.withdrawals.detail.requested")}</dt>
          <dd>{formatDate(w.createdAt, locale, { time: true })}</dd>
          {w.reviewedAt && (
            <>
              <dt>{t("admin.withdrawals.detail.reviewed")}</dt>
              <dd>{formatDate(w.reviewedAt, locale, { time: true })}</dd>
            </>
          )}
          {(w.bankReference || w.reviewNote) && (
            <>
              <dt>{t("admin.withdrawals.detail.note")}</dt>
              <dd>
                <bdi class="wrap-anywhere">{w.bankReference ?? w.reviewNote}</bdi>
              </dd>
            </>
          )}
        </dl>
      </section>
      {waitingForOther && <Notice kind="info" text={t("admin.withdrawals.detail.waitingOther")} />}
      {w.status === "pending" && (
        <div class="user-actions">
          {!waitingForOther && (
            <form method="post" action={`/admin/withdrawals/${w.id}/approve`} class="card">
              <h2>{t("admin.withdrawals.detail.pay")}</h2>
              <TextField
                name="bank_reference"
                id={`ref-${w.id}`}
                label={t("admin.withdrawals.bankReference")}
                required
                maxLength={100}
                dir="ltr"
              />
              <button type="submit">{t("admin.withdrawals.approve")}</button>
            </form>
          )}
          <form method="post" action={`/admin/withdrawals/${w.id}/reject`} class="card">
            <h2>{t("admin.withdrawals.detail.refuse")}</h2>
            <TextField
              name="reason"
              id={`reason-${w.id}`}
              label={t("admin.withdrawals.rejectReason")}
              required
              maxLength={500}
            />
            <button type="submit" class="button-danger">{t("admin.withdrawals.reject")}</button>
          </form>
        </div>
      )}
      {w.userId && (
        <p>
          <a href={`/admin/wallets/${w.userId}`}>{t("admin.withdrawals.detail.wallet")}</a>
        </p>
      )}
    </div>
  );
}
