// routes/api/v1/wallet.ts — GET /api/v1/wallet, GET /api/v1/wallet/entries, POST /api/v1/wallet/transfers

import { apiInput, idempotencyKey, requireJson } from "../../../lib/api/input.ts";
import { EntriesQuery, entryJson, postingJson, TransferBody, walletJson } from "../../../lib/wallet/api.ts";
import { walletSummary } from "../../../lib/wallet/summary.ts";
import { entriesFilter, listEntries } from "../../../lib/wallet/entries.ts";
import { transferWithOutcome } from "../../../lib/wallet/replay.ts";
import { countingFailedLookups } from "../../../lib/wallet/recipient.ts";
import { requireMinimumTransfer } from "../../../lib/wallet/minimums.ts";
import { requireLiveSessionUnlessSqlChecks, userRoutes } from "../../../lib/auth/guards.ts";
import { requireFreshReauth, transferNeedsReauth } from "../../../lib/auth/reauth.ts";

export const walletApi = userRoutes()
  .get("/", async (c) => {
    const wallet = await c.var.asUser((tx) => walletSummary(tx));
    return c.json(walletJson(wallet));
  })
  .get("/entries", apiInput("query", EntriesQuery), async (c) => {
    const q = c.req.valid("query");
    const page = await c.var.asUser((tx) =>
      listEntries(tx, {
        cursor: q.cursor,
        limit: q.limit,
        ...entriesFilter(q),
      })
    );
    return c.json({ items: page.entries.map(entryJson), next_cursor: page.nextCursor });
  })
  .post(
    "/transfers",
    requireLiveSessionUnlessSqlChecks,
    requireJson,
    apiInput("json", TransferBody),
    async (c) => {
      const key = idempotencyKey(c);
      const body = c.req.valid("json");
      requireMinimumTransfer(BigInt(body.amount));
      if (transferNeedsReauth(BigInt(body.amount))) await requireFreshReauth(c);
      const claims = c.get("user")();
      const result = await countingFailedLookups(claims.sub, () =>
        transferWithOutcome(claims, {
          recipient: body.to,
          amount: BigInt(body.amount),
          idempotencyKey: key,
          note: body.note || undefined,
        }));
      return c.json(postingJson(result, body.amount), result.created ? 201 : 200);
    },
  );
