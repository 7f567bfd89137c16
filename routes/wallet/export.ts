// routes/wallet/export.ts — GET /wallet/export.csv (the filtered history as CSV, streamed page by page).
// Two labelled exports: the default one is for people (headers in the page's language, Tehran dates in its
// calendar, whole tomans, the counterparty and note); `?format=data` is for programs and keeps what the API
// gives: ISO 8601 times, rials, machine column names.
import { z } from "zod";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { Translate } from "../../components/ui/types.ts";
import { validate } from "../../lib/http/validate.ts";
import { asUser } from "../../lib/db/client.ts";
import { formatSheetDateTime, roundedTomans } from "../../lib/i18n/format.ts";
import { entriesFilter, type LedgerEntry, listEntries } from "../../lib/wallet/entries.ts";
import { type Counterparty, loadCounterparties } from "../../lib/wallet/counterparties.ts";
import { entryDescription, transactionReference } from "../../lib/wallet/vocabulary.ts";
import { type CsvCell, pagedCsvResponse } from "../../lib/http/csv.ts";
import { historyQuery } from "./_query.ts";
import { strictDayRange } from "../../lib/i18n/day_range.ts";
import { userRoutes } from "../../lib/auth/guards.ts";

const query = historyQuery.extend({ format: z.enum(["sheet", "data"]).optional() });

/** The machine export's columns: unchanged since the first export, for scripts that read it. */
const DATA_HEADER = ["created_at", "transaction_id", "kind", "kind_label", "amount_rial", "description"];

const dataRow = (t: Translate, e: LedgerEntry): CsvCell[] => [
  e.createdAt.toISOString(),
  e.transactionId,
  e.kind,
  t(`wallet.kind.${e.kind}` as MessageKey),
  e.amount,
  entryDescription(e),
];

const SHEET_HEADER: MessageKey[] = [
  "wallet.csv.date",
  "wallet.csv.reference",
  "wallet.csv.kind",
  "wallet.csv.counterparty",
  "wallet.csv.note",
  "wallet.csv.amount",
];

function counterpartyText(t: Translate, e: LedgerEntry, who: Counterparty | undefined): string {
  if (!who) return "";
  const direction = t(e.amount > 0n ? "wallet.history.from" : "wallet.history.to");
  return `${direction} ${who.name || t("wallet.transfer.unnamed")} (${who.masked})`;
}

export const walletExport = userRoutes().get(
  "/",
  validate("query", query),
  (c) => {
    const q = c.req.valid("query");
    const filter = entriesFilter({ ...q, ...strictDayRange(q) });
    const claims = c.var.user();
    const { t, locale } = c.var;
    const data = q.format === "data";
    const day = new Date().toISOString().slice(0, 10);
    return pagedCsvResponse({
      filename: data ? `wallet-data-${day}.csv` : `wallet-${day}.csv`,
      header: data ? DATA_HEADER : SHEET_HEADER.map((key) => t(key)),
      page: async (cursor) => {
        const page = await asUser(claims, (tx) => listEntries(tx, { ...filter, cursor, limit: 100 }));
        if (data) return { rows: page.entries.map((e) => dataRow(t, e)), next: page.nextCursor };
        const who = await loadCounterparties(claims.sub, page.entries);
        const rows = page.entries.map((e) => [
          formatSheetDateTime(e.createdAt, locale),
          transactionReference(e.transactionId),
          t(`wallet.kind.${e.kind}` as MessageKey),
          counterpartyText(t, e, who.get(e.transactionId)),
          entryDescription(e),
          roundedTomans(e.amount),
        ]);
        return { rows, next: page.nextCursor };
      },
    });
  },
);
