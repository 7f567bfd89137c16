// routes/wallet/export.ts — GET /wallet/export.csv (the filtered history as CSV, streamed page by page)
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { validate } from "../../lib/http/errors.tsx";
import { asUser } from "../../lib/db/client.ts";
import { listEntries } from "../../lib/wallet/entries.ts";
import { entryDescription } from "../../lib/api/present.ts";
import { csvRow } from "../../lib/payments/csv.ts";
import { entriesFilter, historyQuery } from "./_query.ts";

export const walletExport = new Hono<AppEnv>().get(
  "/wallet/export.csv",
  validate("query", historyQuery),
  (c) => {
    const filter = entriesFilter(c.req.valid("query"));
    const claims = c.var.claims!;
    const t = c.var.t;
    const encoder = new TextEncoder();
    let cursor: string | undefined;
    let started = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          const header = ["created_at", "transaction_id", "kind", "kind_label", "amount_rial", "description"];
          controller.enqueue(encoder.encode("\ufeff" + csvRow(header)));
        }
        const page = await asUser(claims, (tx) => listEntries(tx, { ...filter, cursor, limit: 100 }));
        controller.enqueue(encoder.encode(
          page.entries.map((e) =>
            csvRow([
              e.createdAt.toISOString(),
              e.transactionId,
              e.kind,
              t(`wallet.kind.${e.kind}` as MessageKey),
              e.amount,
              entryDescription(e),
            ])
          ).join(""),
        ));
        if (!page.nextCursor) controller.close();
        cursor = page.nextCursor ?? undefined;
      },
    });
    return c.body(body, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="wallet-${new Date().toISOString().slice(0, 10)}.csv"`,
      "cache-control": "private, no-store",
    });
  },
);
