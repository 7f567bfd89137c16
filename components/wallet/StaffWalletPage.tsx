/**
 * A customer's wallet as staff see it: balances, the adjustment form (wallet.adjust), adjustments waiting for
 * a second staff member, and the history. Large adjustments become requests that another staff member decides.
 */
import type { UserDetail } from "../../lib/users/admin.ts";
import type { WalletSummary } from "../../lib/wallet/summary.ts";
import type { EntriesPage } from "../../lib/wallet/entries.ts";
import type { AdjustmentRequest } from "../../lib/wallet/approvals.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { formatDate, formatToman } from "../../lib/i18n/format.ts";
import { FieldError } from "../forms/Field.tsx";
import { AmountField } from "../ui/AmountField.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { Notice } from "../ui/Notice.tsx";
import { HISTORY_LABELS, Pagination } from "../ui/Pagination.tsx";
import type { I18n } from "../ui/types.ts";
import { Breadcrumbs } from "../admin/shell.tsx";
import { EntriesTable } from "./EntriesTable.tsx";
import type { Counterparty } from "../../lib/wallet/counterparties.ts";
import { KeyedForm } from "./KeyedForm.tsx";

export type StaffWalletNotice = "adjusted" | "requested" | "approved" | "rejected";

export interface StaffWalletData {
  user: UserDetail;
  wallet: WalletSummary;
  page: EntriesPage;
  cursor?: string;
  requests: AdjustmentRequest[];
  /** The signed-in staff member: their own requests wait for someone else. */
  viewerId: string;
  canAdjust: boolean;
  notice?: StaffWalletNotice;
  form?: { values: Record<string, string>; errors: FieldErrors; problem?: string };
  /** The other side of each transfer on the page, by transaction id. */
  counterparties?: ReadonlyMap<string, Counterparty>;
}

function Balances({ t, locale, wallet }: I18n & { wallet: WalletSummary }) {
  const cards = [["wallet.balance", wallet.balance], ["wallet.held", wallet.held], [
    "wallet.available",
    wallet.available,
  ]] as const;
  return (
    <ul class="stats wallet-stats">
      {cards.map(([label, rials]) => (
        <li class="card stat">
          <span class="label">{t(label)}</span>
          <span class="value" data-rials={String(rials)}>{formatToman(rials, locale)}</span>
        </li>
      ))}
    </ul>
  );
}

function AdjustForm({ t, locale, base, form }: I18n & { base: string; form?: StaffWalletData["form"] }) {
  const values = form?.values ?? {};
  const errors = form?.errors ?? {};
  const err = (name: string) => errors[name] && t(errors[name]!);
  return (
    <section class="card narrow stack" aria-labelledby="adjust-title">
      <h2 id="adjust-title">{t("admin.wallets.adjustTitle")}</h2>
      <p>{t("admin.wallets.adjustLead")}</p>
      <KeyedForm action={`${base}/adjust`} idempotencyKey={values.key} problem={form?.problem}>
        <AmountField
          t={t}
          locale={locale}
          id="adjust-tomans"
          signed
          label={t("admin.wallets.adjustAmount")}
          value={values.tomans}
          error={err("tomans")}
        />
        <div class="field">
          <label for="adjust-reason">{t("admin.wallets.reason")}</label>
          <p class="hint" id="adjust-reason-hint">{t("admin.wallets.reasonHint")}</p>
          <textarea
            id="adjust-reason"
            name="reason"
            rows={2}
            maxLength={500}
            required
            aria-invalid={errors.reason ? "true" : undefined}
            aria-describedby={`adjust-reason-hint${errors.reason ? " adjust-reason-error" : ""}`}
          >
            {values.reason ?? ""}
          </textarea>
          <FieldError id="adjust-reason" text={err("reason")} />
        </div>
        <div class="form-actions">
          <button type="submit" class="button">{t("admin.wallets.adjustSubmit")}</button>
        </div>
      </KeyedForm>
    </section>
  );
}

/** Requests waiting for a second staff member; the requester sees theirs without the buttons. */
export function AdjustmentRequests(
  { t, locale, requests, viewerId, canDecide }: I18n & {
    requests: AdjustmentRequest[];
    viewerId: string;
    canDecide: boolean;
  },
) {
  return (
    <DataTable
      class="adjustment-requests"
      caption={t("admin.approvals.adjustments")}
      empty={t("admin.approvals.none")}
      rows={requests}
      rowAttributes={(r) => ({ "data-request": r.id })}
      columns={[
        { header: t("admin.approvals.customer"), cell: (r) => <bdi dir="ltr">{r.userEmail}</bdi> },
        { header: t("wallet.column.amount"), numeric: true, cell: (r) => formatToman(r.amount, locale) },
        { header: t("admin.wallets.reason"), cell: (r) => <bdi>{r.reason}</bdi> },
        {
          header: t("admin.approvals.requestedBy"),
          cell: (r) => (
            <>
              <bdi dir="ltr">{r.requestedByEmail}</bdi>
              <br />
              <span class="hint">{formatDate(r.requestedAt, locale, { time: true })}</span>
            </>
          ),
        },
        {
          header: "",
          cell: (r) =>
            !canDecide || r.requestedBy === viewerId
              ? <span class="muted">{t("admin.approvals.waiting")}</span>
              : (
                <div class="form-actions">
                  <form method="post" action={`/admin/approvals/adjustments/${r.id}/approve`}>
                    <button type="submit" class="button button-small">{t("admin.approvals.approve")}</button>
                  </form>
                  <form
                    method="post"
                    action={`/admin/approvals/adjustments/${r.id}/reject`}
                    class="inline-form"
                  >
                    <label class="visually-hidden" for={`reject-${r.id}`}>{t("admin.wallets.reason")}</label>
                    <input
                      id={`reject-${r.id}`}
                      name="reason"
                      required
                      minLength={3}
                      maxLength={500}
                      placeholder={t("admin.withdrawals.rejectReason")}
                    />
                    <button type="submit" class="button button-ghost button-small">
                      {t("admin.approvals.reject")}
                    </button>
                  </form>
                </div>
              ),
        },
      ]}
    />
  );
}

export function StaffWalletPage({ t, locale, data }: I18n & { data: StaffWalletData }) {
  const base = `/admin/wallets/${data.user.id}`;
  return (
    <div class="stack">
      <Breadcrumbs t={t}>
        <a href="/admin/wallets">{t("admin.wallets.title")}</a>
      </Breadcrumbs>
      <h1>{t("admin.wallets.detailTitle", { email: data.user.email })}</h1>
      <Notice kind="success" text={data.notice && t(`admin.wallets.notice.${data.notice}`)} />
      <Balances t={t} locale={locale} wallet={data.wallet} />
      {data.canAdjust && <AdjustForm t={t} locale={locale} base={base} form={data.form} />}
      {data.requests.length > 0 && (
        <section class="card stack" aria-labelledby="requests-title">
          <h2 id="requests-title">{t("admin.approvals.adjustments")}</h2>
          <AdjustmentRequests
            t={t}
            locale={locale}
            requests={data.requests}
            viewerId={data.viewerId}
            canDecide={data.canAdjust}
          />
        </section>
      )}
      <section class="card stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("wallet.history")}</h2>
        <EntriesTable
          t={t}
          locale={locale}
          entries={data.page.entries}
          caption={t("wallet.history")}
          counterparties={data.counterparties}
          receiptHref={(id) => `${base}/receipts/${id}`}
          pagination={
            <Pagination
              t={t}
              path={base}
              cursor={data.cursor}
              next={data.page.nextCursor}
              labels={HISTORY_LABELS}
            />
          }
        />
      </section>
    </div>
  );
}
