/** A wallet statement as a table: date, type, details and the signed amount in tomans. */
import type { ComponentChildren } from "preact";
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { LedgerEntry } from "../../lib/wallet/entries.ts";
import { entryDescription } from "../../lib/wallet/vocabulary.ts";
import { DataTable } from "../ui/DataTable.tsx";
import type { Translate } from "../ui/types.ts";
import { SignedAmount } from "./SignedAmount.tsx";

export function EntriesTable(
  { t, locale, entries, caption, empty, pagination }: {
    t: Translate;
    locale: Locale;
    entries: LedgerEntry[];
    caption: string;
    /** What to say when there are no entries (default: none match the filters). */
    empty?: string;
    pagination?: ComponentChildren;
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
          cell: (e) => <bdi dir="auto">{entryDescription(e) ?? ""}</bdi>,
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
