// routes/wallet/index.tsx — GET /wallet (balance cards that update live, history with filters and keyset pages,
// the outcome of a top-up when arriving with ?payment=<id>)
import { z } from "zod";
import { optionalField } from "../../lib/http/form_fields.ts";

import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { listEntries } from "../../lib/wallet/entries.ts";
import { findPayment, type Payment } from "../../lib/payments/store.ts";
import { displayStatus } from "../../components/payments/parts.tsx";
import { TRANSACTION_KINDS } from "../../lib/wallet/vocabulary.ts";
import { LiveBalanceIsland } from "../../components/islands.ts";
import { EntriesTable } from "../../components/wallet/EntriesTable.tsx";
import { entriesFilter, filterParams, type HistoryQuery, historyQuery } from "./_query.ts";
import { DayField } from "../../components/forms/DayField.tsx";
import { userRoutes } from "../../lib/auth/guards.ts";

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const query = historyQuery.extend({
  payment: optionalField(z.string().regex(/^[1-9][0-9]{0,18}$/)),
  notice: z.enum(["transferred"]).optional(),
});

const PAYMENT_TITLE: Record<ReturnType<typeof displayStatus>, [MessageKey, string]> = {
  verified: ["payments.result.success.title", "alert-success"],
  cancelled: ["payments.result.cancelled.title", "alert-info"],
  failed: ["payments.result.failed.title", "alert-error"],
  expired: ["payments.result.expired.title", "alert-info"],
  refunded: ["payments.result.refunded.title", "alert-info"],
  review: ["payments.result.pending.title", "alert-warning"],
  pending: ["payments.result.pending.title", "alert-warning"],
};

function PaymentBanner({ t, payment }: { t: Translate; payment: Payment }) {
  const status = displayStatus(payment);
  const [title, kind] = PAYMENT_TITLE[status];
  return (
    <div class={`alert ${kind} payment-banner`} role="status" data-payment-status={status}>
      <strong>{t(title)}</strong> <a href={`/wallet/payments/${payment.id}`}>{t("wallet.payment.details")}</a>
    </div>
  );
}

function Filters({ t, q, locale }: { t: Translate; q: HistoryQuery; locale: Locale }) {
  return (
    <form method="get" action="/wallet" class="wallet-filters" aria-label={t("wallet.history")}>
      <div class="field">
        <label for="filter-kind">{t("wallet.filter.kind")}</label>
        <select id="filter-kind" name="kind">
          <option value="">{t("wallet.filter.allKinds")}</option>
          {TRANSACTION_KINDS.map((kind) => (
            <option value={kind} selected={q.kind === kind}>{t(`wallet.kind.${kind}` as MessageKey)}</option>
          ))}
        </select>
      </div>
      <DayField id="filter-from" name="from" label={t("wallet.filter.from")} value={q.from} locale={locale} />
      <DayField id="filter-to" name="to" label={t("wallet.filter.to")} value={q.to} locale={locale} />
      <div class="form-actions">
        <button type="submit" class="button button-small">{t("wallet.filter.apply")}</button>
        {(q.kind || q.from || q.to) && <a href="/wallet">{t("wallet.filter.clear")}</a>}
      </div>
    </form>
  );
}

export const walletPage = userRoutes().get("/", validate("query", query), async (c) => {
  const q = c.req.valid("query");
  const { wallet, page, payment } = await c.var.asUser(async (tx) => ({
    wallet: await walletSummary(tx),
    page: await listEntries(tx, { ...entriesFilter(q), cursor: q.cursor, limit: 20 }),
    payment: q.payment ? await findPayment(tx, q.payment) : undefined,
  }));
  const t = c.var.t;
  const locale: Locale = c.var.locale;
  const filtered = !!(q.kind || q.from || q.to);
  return renderPage(
    c,
    <>
      <div class="page-head">
        <h1>{t("wallet.title")}</h1>
        <p class="actions wallet-actions">
          <a class="button" href="/wallet/topup">{t("wallet.action.topup")}</a>
          <a class="button button-ghost" href="/wallet/transfer">{t("wallet.action.transfer")}</a>
          <a class="button button-ghost" href="/wallet/withdrawals">{t("wallet.action.withdraw")}</a>
          <a href="/wallet/payments">{t("wallet.action.payments")}</a>
        </p>
      </div>
      {payment && <PaymentBanner t={t} payment={payment} />}
      {q.notice === "transferred" && (
        <p class="alert alert-success" role="status">{t("wallet.notice.transferred")}</p>
      )}
      <LiveBalanceIsland
        locale={locale}
        balance={String(wallet.balance)}
        held={String(wallet.held)}
        available={String(wallet.available)}
        labels={{
          balance: t("wallet.balance"),
          held: t("wallet.held"),
          available: t("wallet.available"),
          live: t("wallet.live"),
        }}
        events="/wallet/events"
      />
      <section class="card stack wallet-history" aria-labelledby="history-title">
        <div class="page-head">
          <h2 id="history-title">{t("wallet.history")}</h2>
          <a class="button button-ghost button-small" href={`/wallet/export.csv${filterParams(q)}`} download>
            {t("wallet.action.export")}
          </a>
        </div>
        <Filters t={t} q={q} locale={locale} />
        {page.entries.length === 0
          ? (
            <p class="alert alert-info">
              {t(filtered || q.cursor ? "wallet.emptyFiltered" : "wallet.empty")}
            </p>
          )
          : <EntriesTable t={t} locale={locale} entries={page.entries} caption={t("wallet.history")} />}
        <nav class="pagination" aria-label={t("wallet.pagination")}>
          {q.cursor ? <a href={`/wallet${filterParams(q)}`}>{t("wallet.newest")}</a> : <span></span>}
          {page.nextCursor && (
            <a href={`/wallet${filterParams(q, page.nextCursor)}`} rel="next">{t("wallet.older")}</a>
          )}
        </nav>
      </section>
    </>,
    { title: t("wallet.title") },
  );
});
