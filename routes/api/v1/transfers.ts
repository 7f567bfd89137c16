// routes/api/v1/transfers.ts — POST /api/v1/transfers/batch: the operator's services move money between users'
// wallets, up to 1000 transfers per request, with an API key (Authorization: Bearer pk_live_…, scope
// transfers.batch); each transfer carries its own idempotency key and gets its own result
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { asService } from "../../../lib/db/client.ts";
import { apiInput, requireJson } from "../../../lib/api/input.ts";
import { bearerApiKey } from "../../../lib/apikeys/store.ts";
import { requireApiKey } from "../../../lib/apikeys/guard.ts";
import { TransferBatchBody, transferBatchJson } from "../../../lib/wallet/api.ts";
import { transferBatchWithKey, withMinimumTransfer } from "../../../lib/wallet/batch.ts";
import { config } from "../../../lib/config.ts";
import { walletErrors } from "../../../lib/wallet/errors.ts";
import { refusalText } from "../../../lib/http/answers.ts";

export const transfersApi = new Hono<AppEnv>().post(
  "/batch",
  requireApiKey,
  requireJson,
  apiInput("json", TransferBatchBody),
  async (c) => {
    const body = c.req.valid("json");
    const transfers = body.transfers.map((t) => ({
      from: t.from,
      to: t.to,
      amount: BigInt(t.amount),
      idempotencyKey: t.idempotency_key,
      note: t.note,
    }));
    const apiKey = bearerApiKey(c.req.header("authorization"));
    const results = await withMinimumTransfer(
      transfers,
      (kept) => asService((tx) => transferBatchWithKey(tx, { apiKey, transfers: kept })),
    );
    const messages = new Map<string, string>();
    const message = (code: string) => {
      if (!messages.has(code)) {
        messages.set(
          code,
          refusalText(
            c,
            walletErrors.refuse(
              code as Parameters<typeof walletErrors.refuse>[0],
              code === "below_minimum_transfer" ? { minimum: config().WALLET_MIN_TRANSFER_RIAL } : undefined,
            ),
          ),
        );
      }
      return messages.get(code)!;
    };
    return c.json(transferBatchJson(results, message), 200);
  },
);
