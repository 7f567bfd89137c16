// routes/api/wallet.ts — GET /api/v1/wallet, GET /api/v1/wallet/entries, POST /api/v1/wallet/transfers
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { asUser } from "../../lib/db/client.ts";
import { apiInput, idempotencyKey, requireJson } from "../../lib/api/input.ts";
import { EntriesQuery, TransferBody } from "../../lib/api/schemas.ts";
import { entryJson, walletJson } from "../../lib/api/present.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { listEntries } from "../../lib/wallet/entries.ts";
import { transferWithOutcome } from "../../lib/wallet/replay.ts";
import { endOf, startOf } from "../../lib/wallet/date_range.ts";

export const walletApi = new Hono<AppEnv>()
  .get("/api/v1/wallet", async (c) => {
    const wallet = await asUser(c.var.claims!, (tx) => walletSummary(tx));
    return c.json(walletJson(wallet));
  })
  .get("/api/v1/wallet/entries", apiInput("query", EntriesQuery), async (c) => {
    const q = c.req.valid("query");
    const page = await asUser(c.var.claims!, (tx) =>
      listEntries(tx, {
        cursor: q.cursor,
        limit: q.limit,
        kinds: q.kind ? [q.kind] : undefined,
        from: q.from ? startOf(q.from) : undefined,
        to: q.to ? endOf(q.to) : undefined,
      }));
    return c.json({ items: page.entries.map(entryJson), next_cursor: page.nextCursor });
  })
  .post("/api/v1/wallet/transfers", requireJson, apiInput("json", TransferBody), async (c) => {
    const key = idempotencyKey(c);
    const body = c.req.valid("json");
    const result = await transferWithOutcome(c.var.claims!, {
      recipient: body.to,
      amount: BigInt(body.amount),
      idempotencyKey: key,
      note: body.note || undefined,
    });
    return c.json({
      transaction_id: result.transactionId,
      amount: body.amount,
      created_at: result.createdAt.toISOString(),
    }, result.created ? 201 : 200);
  });
