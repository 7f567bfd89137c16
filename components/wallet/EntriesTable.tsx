/**
 * A wallet statement as a table: date, type, details and the signed amount in tomans. The details say who the
 * other side of a transfer is ("to" or "from": the name and the masked email or phone), the note, and link to
 * the transaction's receipt. Names and notes are written by people in either script: each is isolated
 * (<bdi dir="auto">) so a Latin note such as `=HYPERLINK(…)` keeps its own order inside Persian text.
 */
import type { ComponentChildren } from "preact";
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { LedgerEntry } from "../../lib/wallet/entries.ts";
import type { Counterparty } from "../../lib/wallet/counterparties.ts";
import { entryDescription } from "../../lib/wallet/vocabulary.ts";
import { DataTable } from "../ui/DataTable.tsx";
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

export function EntryDetails(
  { t, entry, counterparty, receiptHref }: {
    t: Translate;
    entry: LedgerEntry;
    counterparty?: Counterparty;
    receiptHref?: string;
  },
) {
  const note = entryDescription(entry);
  return (
    <span class="entry-details">
      {counterparty && <CounterpartyText t={t} who={counterparty} incoming={entry.amount > 0n} />}
      {note && <UserText text={note} class="entry-note" />}
      {receiptHref && <a class="entry-receipt" href={receiptHref}>{t("wallet.history.receipt")}</a>}
    </span>
  );
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
  return (
    <DataTable
      class="wallet-entries"
      stackOnMobile={false}
      caption={caption}
      rows={entries}
      empty={empty ?? t("wallet.emptyFiltered")}
      rowAttributes={(entry) => ({ "data-transaction": entry.transactionId })}
      pagination={pagination}
      columns={[
        { header: t("wallet.column.date"), cell: (e) => formatDate(e.createdAt, locale, { time: true }) },
        { header: t("wallet.column.kind"), cell: (e) => t(`wallet.kind.${e.kind}` as MessageKey) },
        {
          header: t("wallet.column.description"),
          cell: (e) => (
            <EntryDetails
              t={t}
              entry={e}
              counterparty={counterparties?.get(e.transactionId)}
              receiptHref={receiptHref?.(e.transactionId)}
            />
          ),
        },
        {
          header: t("wallet.column.amount"),
          numeric: true,
          cell: (e) => <SignedAmount rials={e.amount} locale={locale} />,
        },
      ]}
    />
  );
}
