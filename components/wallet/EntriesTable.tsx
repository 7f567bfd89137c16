/**
 * A wallet statement as a table: date, type, details and the signed amount in tomans. The details say who the
 * other side of a transfer is ("to" or "from": the name and the masked email or phone), the note, and link to
 * the transaction's receipt. Names and notes are written by people in either script: each is isolated
 * (<bdi dir="auto">) so a Latin note such as `=HYPERLINK(…)` keeps its own order inside Persian text.
 */
import type { ComponentChildren } from "preact";
import { type Locale, type MessageKey, translate } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { LedgerEntry } from "../../lib/wallet/entries.ts";
import type { Counterparty } from "../../lib/wallet/counterparties.ts";
import { entryDescription } from "../../lib/wallet/vocabulary.ts";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { HtmlCache } from "../ui/html_cache.ts";
import type { Translate } from "../ui/types.ts";
import { SignedAmount } from "./SignedAmount.tsx";

/** "To Reza (r***@example.com)" or "From …": the other side of a transfer, as seen from this wallet. */
export function CounterpartyText(
  { t, who, incoming }: { t: Translate; who: Counterparty; incoming: boolean },
) {
  return (
    <span class="counterparty" data-counterparty={who.userId}>
      <span class="counterparty-direction">{t(incoming ? "wallet.history.from" : "wallet.history.to")}</span>
      {" "}
      <bdi dir="auto" class="counterparty-name">{who.name || t("wallet.transfer.unnamed")}</bdi>{" "}
      <bdi dir="ltr" class="counterparty-handle">{who.masked}</bdi>
    </span>
  );
}

/** A note or reason someone wrote: isolated, its direction from its own first strong character. */
export function UserText({ text, class: extra }: { text: string; class?: string }) {
  return <bdi dir="auto" class={extra ?? "user-text"}>{text}</bdi>;
}

/** What a history row shows about one entry: its inputs, all of them (a row is rendered from these only). */
export interface HistoryRow {
  transactionId: string;
  kind: LedgerEntry["kind"];
  /** Signed rials from the wallet's point of view. */
  amount: bigint;
  createdAt: Date;
  note: string | null;
  counterparty?: Counterparty;
  receiptHref?: string;
}

export function EntryDetails({ t, row }: { t: Translate; row: HistoryRow }) {
  const { counterparty, note, receiptHref } = row;
  return (
    <span class="entry-details">
      {counterparty && <CounterpartyText t={t} who={counterparty} incoming={row.amount > 0n} />}
      {note && <UserText text={note} class="entry-note" />}
      {receiptHref && <a class="entry-receipt" href={receiptHref}>{t("wallet.history.receipt")}</a>}
    </span>
  );
}

/**
 * Rendered history rows, by locale and row (HistoryRow: everything a row is rendered from). A ledger entry
 * never changes, and a row's counterparty name, handle and receipt link are in its key, so a cached row is
 * exactly what rendering it again would give; the wallet page and its live feed show the same rows again and
 * again. Bounded: about 2 KB a row.
 */
export const historyRows = new HtmlCache(4096);

/**
 * How each field of a row goes into its cache key. Typed as a record of every HistoryRow field, so a field
 * added to HistoryRow does not compile until it is in the key as well.
 */
const KEY_PARTS: { [K in keyof Required<HistoryRow>]: (row: HistoryRow) => string | number | null } = {
  transactionId: (row) => row.transactionId,
  kind: (row) => row.kind,
  amount: (row) => String(row.amount),
  createdAt: (row) => row.createdAt.getTime(),
  note: (row) => row.note,
  counterparty: (row) =>
    row.counterparty ? JSON.stringify(counterpartyParts.map((p) => p(row.counterparty!))) : null,
  receiptHref: (row) => row.receiptHref ?? null,
};
const keyParts = Object.values(KEY_PARTS);
/** The counterparty's part, typed the same way (every Counterparty field). */
const COUNTERPARTY_PARTS: { [K in keyof Required<Counterparty>]: (who: Counterparty) => string } = {
  userId: (who) => who.userId,
  name: (who) => who.name,
  masked: (who) => who.masked,
};
const counterpartyParts = Object.values(COUNTERPARTY_PARTS);

/** The row's cache key: the locale and every field of the row, as a JSON array (no two rows share one). */
export function historyRowKey(locale: Locale, row: HistoryRow): string {
  const parts: (string | number | null)[] = [locale];
  for (const part of keyParts) parts.push(part(row));
  return JSON.stringify(parts);
}

/** Rows' text comes from the locale's catalogue (the request's `t` is that too), so the locale keys a row. */
const catalogue: Record<Locale, Translate> = {
  fa: (key, params) => translate("fa", key, params),
  en: (key, params) => translate("en", key, params),
};

function historyColumns(t: Translate, locale: Locale): Column<HistoryRow>[] {
  return [
    { header: t("wallet.column.date"), cell: (e) => formatDate(e.createdAt, locale, { time: true }) },
    { header: t("wallet.column.kind"), cell: (e) => t(`wallet.kind.${e.kind}` as MessageKey) },
    { header: t("wallet.column.description"), cell: (e) => <EntryDetails t={t} row={e} /> },
    {
      header: t("wallet.column.amount"),
      numeric: true,
      cell: (e) => <SignedAmount rials={e.amount} locale={locale} />,
    },
  ];
}

export function EntriesTable(
  { t, locale, entries, caption, empty, pagination, counterparties, receiptHref }: {
    t: Translate;
    locale: Locale;
    entries: LedgerEntry[];
    caption: string;
    /** What to say when there are no entries (default: none match the filters). */
    empty?: string;
    pagination?: ComponentChildren;
    /** The other side of each transfer, by transaction id. */
    counterparties?: ReadonlyMap<string, Counterparty>;
    /** Where a row's receipt is (none: no link). */
    receiptHref?: (transactionId: string) => string;
  },
) {
  const rows = entries.map((entry): HistoryRow => ({
    transactionId: entry.transactionId,
    kind: entry.kind,
    amount: entry.amount,
    createdAt: entry.createdAt,
    note: entryDescription(entry),
    counterparty: counterparties?.get(entry.transactionId),
    receiptHref: receiptHref?.(entry.transactionId),
  }));
  return (
    <DataTable
      class="wallet-entries"
      stackOnMobile={false}
      caption={caption}
      rows={rows}
      empty={empty ?? t("wallet.emptyFiltered")}
      rowAttributes={(row) => ({ "data-transaction": row.transactionId })}
      pagination={pagination}
      columns={historyColumns(catalogue[locale], locale)}
      rowCache={{ cache: historyRows, key: (row) => historyRowKey(locale, row) }}
    />
  );
}
