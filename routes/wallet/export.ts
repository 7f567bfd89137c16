// routes/wallet/export.ts — GET /wallet/export.csv (the filtered history as CSV, streamed page by page)

import type { MessageKey } from "../../lib/i18n/mod.ts";
import { validate } from "../../lib/http/validate.ts";
import { asUser } from "../../lib/db/client.ts";
import { entriesFilter, listEntries } from "../../lib/wallet/entries.ts";
import { entryDescription } from "../../lib/wallet/vocabulary.ts";
import { pagedCsvResponse } from "../../lib/http/csv.ts";
import { historyQuery } from "./_query.ts";
import { strictDayRange } from "../../lib/i18n/day_range.ts";
import { userRoutes } from "../../lib/auth/guards.ts";

export const walletExport = userRoutes().get(
  "/",
  validate("query", historyQuery),
  (c) => {
    const query = c.req.valid("query");
    const filter = entriesFilter({ ...query, ...strictDayRange(query) });
    const claims = c.var.user();
    const t = c.var.t;
    return pagedCsvResponse({
      filename: `wallet-${new Date().toISOString().slice(0, 10)}.csv`,
      header: ["created_at", "transaction_id", "kind", "kind_label", "amount_rial", "description"],
      page: async (cursor) => {
        const page = await asUser(claims, (tx) => listEntries(tx, { ...filter, cursor, limit: 100 }));
        const rows = page.entries.map((e) => [
          e.createdAt.toISOString(),
          e.transactionId,
          e.kind,
          t(`wallet.kind.${e.kind}` as MessageKey),
          e.amount,
          entryDescription(e),
        ]);
        return { rows, next: page.nextCursor };
      },
    });
  },
);
