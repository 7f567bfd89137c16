/** The staff withdrawal queue: tabs by status, the requests, and approve/reject forms on pending ones. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { IbanWithBank } from "./BankName.tsx";
import { formatDate, formatId, formatToman } from "../../lib/i18n/format.ts";
import type { Withdrawal, WithdrawalPage } from "../../lib/wallet/withdrawals.ts";
import { WITHDRAWAL_STATUSES } from "../../lib/wallet/vocabulary.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { Notice } from "../ui/Notice.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import { Breadcrumbs, type PageProps, type Translate } from "../admin/shell.tsx";
import { WithdrawalBadge } from "./WithdrawalBadge.tsx";

/** What a decision did: paid, rejected, or only the first of two approvals (four eyes). */
export type WithdrawalDecision = "approved" | "rejected" | "first_approval";

export interface WithdrawalsQueuePageProps extends PageProps {
  status: typeof WITHDRAWAL_STATUSES[number];
  page: WithdrawalPage;
  /** Requesters' emails by user id. */
  emails: Map<string, string>;
  /** The decision just made (after the redirect), or a decision refused. */
  notice?: { kind: WithdrawalDecision; id: string };
  problem?: string;
}

function Decide({ t, w }: { t: Translate; w: Withdrawal }) {
  return (
    <div class="withdrawal-decide">
      <form method="post" action={`/admin/withdrawals/${w.id}/approve`} class="inline-form">
        <label for={`ref-${w.id}`} class="visually-hidden">{t("admin.withdrawals.bankReference")}</label>
        <input
          id={`ref-${w.id}`}
          name="bank_reference"
          required
          maxLength={100}
          dir="ltr"
          placeholder={t("admin.withdrawals.bankReference")}
        />
        <button type="submit" class="button button-small">{t("admin.withdrawals.approve")}</button>
      </form>
      <form method="post" action={`/admin/withdrawals/${w.id}/reject`} class="inline-form">
        <label for={`reason-${w.id}`} class="visually-hidden">{t("admin.withdrawals.rejectReason")}</label>
        <input
          id={`reason-${w.id}`}
          name="reason"
          required
          minLength={3}
          maxLength={500}
          placeholder={t("admin.withdrawals.rejectReason")}
        />
        <button type="submit" class="button button-danger button-small">
          {t("admin.withdrawals.reject")}
        </button>
      </form>
    </div>
  );
}

export function WithdrawalsQueuePage(
  { t, locale, status, page, emails, notice, problem }: WithdrawalsQueuePageProps,
) {
  return (
    <div class="stack">
      <Breadcrumbs t={t} />
      <h1>{t("admin.withdrawals.title")}</h1>
      <p class="lead">{t("admin.withdrawals.lead")}</p>
      <Notice
        kind="success"
        text={notice &&
          t(`admin.withdrawals.notice.${notice.kind}` as MessageKey, { id: formatId(notice.id, locale) })}
      />
      <Notice kind="error" text={problem} />
      <nav class="status-tabs" aria-label={t("admin.withdrawals.filter")}>
        {WITHDRAWAL_STATUSES.map((s) => (
          <a href={`/admin/withdrawals?status=${s}`} aria-current={s === status ? "page" : undefined}>
            {t(`wallet.withdrawals.status.${s}` as MessageKey)}
          </a>
        ))}
      </nav>
      {page.withdrawals.length === 0
        ? <EmptyState text={t("admin.withdrawals.empty")} />
        : (
          <div class="table-wrap">
            <table class="table admin-withdrawals">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t("wallet.column.date")}</th>
                  <th scope="col">{t("admin.withdrawals.user")}</th>
                  <th scope="col" class="num">{t("wallet.column.amount")}</th>
                  <th scope="col">{t("wallet.withdrawals.column.iban")}</th>
                  <th scope="col">{t("wallet.withdrawals.column.status")}</th>
                </tr>
              </thead>
              <tbody>
                {page.withdrawals.map((w) => (
                  <>
                    <tr data-withdrawal={w.id}>
                      <td>{formatId(w.id, locale)}</td>
                      <td>{formatDate(w.createdAt, locale, { time: true })}</td>
                      <td>
                        {w.userId
                          ? (
                            <a href={`/admin/wallets/${w.userId}`} dir="ltr">
                              {emails.get(w.userId) ?? w.userId}
                            </a>
                          )
                          : "—"}
                      </td>
                      <td class="num">{formatToman(w.amount, locale)}</td>
                      <td>
                        <IbanWithBank iban={w.iban} locale={locale} />
                      </td>
                      <td>
                        <WithdrawalBadge t={t} status={w.status} /> {w.bankReference
                          ? <bdi dir="ltr">{w.bankReference}</bdi>
                          : <bdi dir="auto">{w.reviewNote ?? ""}</bdi>}
                        {w.status === "pending" && w.firstApprovedBy && (
                          <p class="hint first-approval">
                            {t("admin.withdrawals.firstApprovedBy", {
                              email: emails.get(w.firstApprovedBy) ?? w.firstApprovedBy,
                            })}
                          </p>
                        )}
                      </td>
                    </tr>
                    {w.status === "pending" && (
                      <tr class="decide-row">
                        <td colSpan={6}>
                          <Decide t={t} w={w} />
                        </td>
                      </tr>
                    )}
                  </>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <Pagination t={t} path="/admin/withdrawals" params={{ status }} next={page.nextCursor} first={false} />
    </div>
  );
}
