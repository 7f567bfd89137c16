/** The wallet page: balances that update live, the outcome of a top-up or transfer, and the filtered history. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { LedgerEntry } from "../../lib/wallet/entries.ts";
import type { Payment } from "../../lib/payments/store.ts";
import { TRANSACTION_KINDS } from "../../lib/wallet/vocabulary.ts";
import { displayStatus } from "../payments/parts.tsx";
import { LiveBalanceIsland } from "../islands.ts";
import { DayField } from "../forms/DayField.tsx";
import { Notice, type NoticeKind } from "../ui/Notice.tsx";
import { WelcomeCard } from "./WelcomeCard.tsx";
import { HISTORY_LABELS, pageHref, Pagination } from "../ui/Pagination.tsx";
import type { I18n, Translate } from "../ui/types.ts";
import { EntriesTable } from "./EntriesTable.tsx";

export interface HistoryFilters {
  kind?: string;
  from?: string;
  to?: string;
}

export interface WalletPageProps extends I18n {
  wallet: { balance: bigint; held: bigint; available: bigint };
  entries: LedgerEntry[];
  filters: HistoryFilters;
  cursor?: string;
  nextCursor?: string | null;
  payment?: Payment;
  notice?: "transferred";
  /** The first-time welcome, shown once per account. */
  welcome?: { hasPhone: boolean };
}

const PAYMENT_TITLE: Record<ReturnType<typeof displayStatus>, [MessageKey, NoticeKind]> = {
  verified: ["payments.result.success.title", "success"],
  cancelled: ["payments.result.cancelled.title", "info"],
  failed: ["payments.result.failed.title", "error"],
  expired: ["payments.result.expired.title", "info"],
  refunded: ["payments.result.refunded.title", "info"],
  review: ["payments.result.pending.title", "warning"],
  pending: ["payments.result.pending.title", "warning"],
};

function PaymentBanner({ t, payment }: { t: Translate; payment: Payment }) {
  const status = displayStatus(payment);
  const [title, kind] = PAYMENT_TITLE[status];
  return (
    // A failed top-up is news, not an emergency: announced politely like the others.
    <div class={`alert alert-${kind} payment-banner`} role="status" data-payment-status={status}>
      <strong>{t(title)}</strong> <a href={`/wallet/payments/${payment.id}`}>{t("wallet.payment.details")}</a>
    </div>
  );
}

function Filters({ t, locale, filters }: I18n & { filters: HistoryFilters }) {
  return (
    <form method="get" action="/wallet" class="wallet-filters" aria-label={t("wallet.history")}>
      <div class="field">
        <label for="filter-kind">{t("wallet.filter.kind")}</label>
        <select id="filter-kind" name="kind">
          <option value="">{t("wallet.filter.allKinds")}</option>
          {TRANSACTION_KINDS.map((kind) => (
            <option value={kind} selected={filters.kind === kind}>
              {t(`wallet.kind.${kind}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <DayField
        id="filter-from"
        name="from"
        label={t("wallet.filter.from")}
        value={filters.from}
        locale={locale}
      />
      <DayField id="filter-to" name="to" label={t("wallet.filter.to")} value={filters.to} locale={locale} />
      <div class="form-actions">
        <button type="submit" class="button button-small">{t("wallet.filter.apply")}</button>
        {(filters.kind || filters.from || filters.to) && <a href="/wallet">{t("wallet.filter.clear")}</a>}
      </div>
    </form>
  );
}

export function WalletPage(props: WalletPageProps) {
  const { t, locale, wallet, filters, cursor } = props;
  const filtered = !!(filters.kind || filters.from || filters.to);
  return (
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
      {props.welcome && <WelcomeCard t={t} hasPhone={props.welcome.hasPhone} />}
      {props.payment && <PaymentBanner t={t} payment={props.payment} />}
      {props.notice === "transferred" && <Notice kind="success" text={t("wallet.notice.transferred")} />}
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
          <a
            class="button button-ghost button-small"
            href={pageHref("/wallet/export.csv", { ...filters })}
            download
          >
            {t("wallet.action.export")}
          </a>
        </div>
        <Filters t={t} locale={locale} filters={filters} />
        <EntriesTable
          t={t}
          locale={locale}
          entries={props.entries}
          caption={t("wallet.history")}
          empty={t(filtered || cursor ? "wallet.emptyFiltered" : "wallet.empty")}
          pagination={
            <Pagination
              t={t}
              path="/wallet"
              params={{ ...filters }}
              cursor={cursor}
              next={props.nextCursor}
              labels={HISTORY_LABELS}
            />
          }
        />
      </section>
    </>
  );
}
