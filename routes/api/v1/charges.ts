// routes/api/v1/charges.ts — POST /api/v1/charges: the operator's services charge a wallet (secret key only)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { asService } from "../../../lib/db/client.ts";
import { apiInput, idempotencyKey, requireJson, requireSecretKey } from "../../../lib/api/input.ts";
import { ChargeBody, postingJson } from "../../../lib/wallet/api.ts";
import { charge } from "../../../lib/wallet/postings.ts";
import { postingOutcome } from "../../../lib/wallet/replay.ts";

export const chargesApi = new Hono<AppEnv>().post(
  "/",
  requireSecretKey,
  requireJson,
  apiInput("json", ChargeBody),
  async (c) => {
    const key = idempotencyKey(c);
    const body = c.req.valid("json");
    const result = await asService(async (tx) => {
      const { transactionId } = await charge(tx, {
        userId: body.user_id,
        amount: BigInt(body.amount),
        idempotencyKey: key,
        metadata: { description: body.description },
      });
      return await postingOutcome(tx, transactionId);
    });
    return c.json(postingJson(result, body.amount), result.created ? 201 : 200);
  },
);
