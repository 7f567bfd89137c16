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
import type { I18n } from "../ui/types.ts";
import type { Counterparty } from "../../lib/wallet/counterparties.ts";
import { formatToman } from "../../lib/i18n/format.ts";
import { EntriesTable } from "./EntriesTable.tsx";
import type { DayRange } from "../../lib/i18n/day_range.ts";

export interface HistoryFilters {
  kind?: string;
  from?: string;
  to?: string;
}

/** Days typed that were no real day, and their errors (the page then answers 400 with the filters kept). */
export type HistoryDays = Pick<DayRange, "typed" | "errors">;

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
  days?: HistoryDays;
  /** The transfer just sent (with notice=transferred): the success message names its amount and recipient. */
  sent?: { amount: bigint; counterparty?: Counterparty };
  /** The other side of each transfer on the page, by transaction id. */
  counterparties?: ReadonlyMap<string, Counterparty>;
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

function PaymentBanner({ t, locale, payment }: I18n & { payment: Payment }) {
  const status = displayStatus(payment);
  const [title, kind] = PAYMENT_TITLE[status];
  return (
    // A failed top-up is news, not an emergency: announced politely like the others.
    <div class={`alert alert-${kind} payment-banner`} role="status" data-payment-status={status}>
      <strong>{t(title)}</strong>{" "}
      {status === "verified" && (
        <span>{t("payments.result.success.body", { amount: formatToman(payment.amount, locale) })}</span>
      )} <a href={`/wallet/payments/${payment.id}`}>{t("wallet.payment.details")}</a>
    </div>
  );
}

/** "You sent 12,500 tomans to Reza (r***@example.com)." — or the plain sentence when the transfer is not found. */
function SentNotice({ t, locale, sent }: I18n & { sent?: WalletPageProps["sent"] }) {
  if (!sent?.counterparty) return <Notice kind="success" text={t("wallet.notice.transferred")} />;
  const { name, masked } = sent.counterparty;
  const text = t("wallet.notice.transferredTo", {
    amount: formatToman(sent.amount < 0n ? -sent.amount : sent.amount, locale),
    name: "\u2068" + (name || t("wallet.transfer.unnamed")) + "\u2069",
    handle: "\u2066" + masked + "\u2069",
  });
  return <Notice kind="success" text={text} id="transfer-notice" />;
}

function Filters({ t, locale, filters, days }: I18n & { filters: HistoryFilters; days?: HistoryDays }) {
  const error = (name: "from" | "to") => days?.errors[name] && t(days.errors[name]);
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
      {(["from", "to"] as const).map((name) => (
        <DayField
          id={`filter-${name}`}
          name={name}
          label={t(name === "from" ? "wallet.filter.from" : "wallet.filter.to")}
          value={filters[name]}
          typed={days?.typed[name]}
          error={error(name)}
          locale={locale}
          t={t}
        />
      ))}
      <div class="form-actions">
        <button type="submit" class="button button-small">{t("wallet.filter.apply")}</button>
        {(filters.kind || filters.from || filters.to) && <a href="/wallet">{t("wallet.filter.clear")}</a>}
      </div>
    </form>
  );
}

/** The live feed's address: on the unfiltered first page, rows newer than the newest shown are sent at once. */
function liveEvents(entries: LedgerEntry[], filtered: boolean): string {
  const newest = entries[0]?.transactionId;
  return !filtered && newest ? `/wallet/events?after=${newest}` : "/wallet/events";
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
      {props.payment && <PaymentBanner t={t} locale={locale} payment={props.payment} />}
      {props.notice === "transferred" && <SentNotice t={t} locale={locale} sent={props.sent} />}
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
          close: t("wallet.live.close"),
        }}
        events={liveEvents(props.entries, filtered || !!cursor)}
        history={filtered || cursor ? undefined : { selector: ".wallet-history" }}
      />
      <section class="card stack wallet-history" aria-labelledby="history-title">
        <div class="page-head">
          <h2 id="history-title">{t("wallet.history")}</h2>
          <p class="actions wallet-exports">
            <a
              class="button button-ghost button-small"
              href={pageHref("/wallet/export.csv", { ...filters })}
              download
            >
              {t("wallet.action.export")}
            </a>
            <a
              class="button button-ghost button-small"
              href={pageHref("/wallet/export.csv", { ...filters, format: "data" })}
              download
            >
              {t("wallet.action.exportData")}
            </a>
          </p>
        </div>
        <p class="hint">{t("wallet.action.exportHint")}</p>
        <Filters t={t} locale={locale} filters={filters} days={props.days} />
        <EntriesTable
          t={t}
          locale={locale}
          entries={props.entries}
          caption={t("wallet.history")}
          counterparties={props.counterparties}
          receiptHref={(id) => `/wallet/receipts/${id}`}
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
