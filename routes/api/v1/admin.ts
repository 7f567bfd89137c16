// routes/api/v1/admin.ts — staff wallet API: adjustments, a user's wallet, withdrawal decisions, ledger health
import { every } from "hono/combine";

import { asUser } from "../../../lib/db/client.ts";
import { requireLiveSession, requirePermission, userRoutes } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { apiInput, idempotencyKey, requireJson } from "../../../lib/api/input.ts";
import {
  AdjustmentBody,
  ApproveBody,
  entryJson,
  IdParam,
  postingJson,
  RejectBody,
  UserIdParam,
  walletJson,
  withdrawalById,
  withdrawalJson,
} from "../../../lib/wallet/api.ts";
import { walletSummary } from "../../../lib/wallet/summary.ts";
import { listEntries } from "../../../lib/wallet/entries.ts";
import { ledgerHealth } from "../../../lib/wallet/health.ts";
import {
  adjustWallet,
  approveWithdrawalAudited,
  rejectWithdrawalAudited,
} from "../../../lib/wallet/staff_actions.ts";

/** Writes need the permission, a session Auth still knows, and a JSON body. */
const staffWrite = (permission: string) =>
  every(requirePermission(permission), requireLiveSession, requireJson);

export const adminApi = userRoutes()
  .post(
    "/wallets/:user_id/adjustments",
    staffWrite("wallet.adjust"),
    apiInput("param", UserIdParam),
    apiInput("json", AdjustmentBody),
    async (c) => {
      const key = idempotencyKey(c);
      const body = c.req.valid("json");
      const result = await adjustWallet(c.var.user(), {
        userId: c.req.valid("param").user_id,
        amount: BigInt(body.amount),
        reason: body.reason,
        idempotencyKey: key,
      }, requestContext(c));
      return c.json(postingJson(result, body.amount), result.created ? 201 : 200);
    },
  )
  .get(
    "/wallets/:user_id",
    requirePermission("wallet.view"),
    apiInput("param", UserIdParam),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const [wallet, page] = await asUser(
        c.var.user(),
        async (tx) =>
          [await walletSummary(tx, userId), await listEntries(tx, { userId, limit: 20 })] as const,
      );
      return c.json({ user_id: userId, ...walletJson(wallet), recent_entries: page.entries.map(entryJson) });
    },
  )
  .post(
    "/withdrawals/:id/approve",
    staffWrite("withdrawals.manage"),
    apiInput("param", IdParam),
    apiInput("json", ApproveBody),
    async (c) => {
      const withdrawalId = c.req.valid("param").id;
      const { bank_reference } = c.req.valid("json");
      await approveWithdrawalAudited(
        c.var.user(),
        { withdrawalId, bankReference: bank_reference },
        requestContext(c),
      );
      return c.json(withdrawalJson(await c.var.asUser((tx) => withdrawalById(tx, withdrawalId))));
    },
  )
  .post(
    "/withdrawals/:id/reject",
    staffWrite("withdrawals.manage"),
    apiInput("param", IdParam),
    apiInput("json", RejectBody),
    async (c) => {
      const withdrawalId = c.req.valid("param").id;
      await rejectWithdrawalAudited(
        c.var.user(),
        { withdrawalId, reason: c.req.valid("json").reason },
        requestContext(c),
      );
      return c.json(withdrawalJson(await c.var.asUser((tx) => withdrawalById(tx, withdrawalId))));
    },
  )
  .get("/ledger/health", requirePermission("wallet.view"), async (c) => {
    const { problems, accounts } = await ledgerHealth();
    return c.json({
      ok: problems.length === 0,
      problems,
      system_accounts: accounts.map((a) => ({ code: a.code, name: a.name, balance: Number(a.balance) })),
    });
  });
