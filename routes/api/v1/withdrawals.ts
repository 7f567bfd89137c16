// routes/api/v1/withdrawals.ts — POST /api/v1/withdrawals (request, held at once), GET /api/v1/withdrawals (mine)

import { asUser } from "../../../lib/db/client.ts";
import { apiInput, idempotencyKey, requireJson } from "../../../lib/api/input.ts";
import { WithdrawalBody, withdrawalById, withdrawalJson, WithdrawalsQuery } from "../../../lib/wallet/api.ts";
import { listWithdrawals, requestWithdrawal } from "../../../lib/wallet/withdrawals.ts";
import { requestedNow } from "../../../lib/wallet/replay.ts";
import { requireMinimumWithdrawal } from "../../../lib/wallet/minimums.ts";
import { requireLiveSession, userRoutes } from "../../../lib/auth/guards.ts";
import { requireFreshReauth } from "../../../lib/auth/reauth.ts";

export const withdrawalsApi = userRoutes()
  .post("/", requireLiveSession, requireJson, apiInput("json", WithdrawalBody), async (c) => {
    const key = idempotencyKey(c);
    await requireFreshReauth(c);
    const body = c.req.valid("json");
    requireMinimumWithdrawal(BigInt(body.amount));
    const { withdrawal, created } = await c.var.asUser(async (tx) => {
      const { withdrawalId } = await requestWithdrawal(tx, {
        amount: BigInt(body.amount),
        iban: body.iban,
        idempotencyKey: key,
      });
      return {
        withdrawal: await withdrawalById(tx, withdrawalId),
        created: await requestedNow(tx, withdrawalId),
      };
    });
    return c.json(withdrawalJson(withdrawal), created ? 201 : 200);
  })
  .get("/", apiInput("query", WithdrawalsQuery), async (c) => {
    const q = c.req.valid("query");
    const page = await asUser(
      c.var.user(),
      (tx) =>
        listWithdrawals(tx, {
          userId: c.var.user().sub,
          status: q.status,
          cursor: q.cursor,
          limit: q.limit,
        }),
    );
    return c.json({ items: page.withdrawals.map(withdrawalJson), next_cursor: page.nextCursor });
  });
