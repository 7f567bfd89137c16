// routes/api/v1/charges.ts — POST /api/v1/charges: the operator's services charge a wallet with an API key
// (Authorization: Bearer pk_live_…, scope charges.create); the project's secret key does not work here
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { asService } from "../../../lib/db/client.ts";
import { apiInput, idempotencyKey, requireJson } from "../../../lib/api/input.ts";
import { bearerApiKey } from "../../../lib/apikeys/store.ts";
import { requireApiKey } from "../../../lib/apikeys/guard.ts";
import { ChargeBody, postingJson } from "../../../lib/wallet/api.ts";
import { chargeWithKey } from "../../../lib/wallet/postings.ts";

export const chargesApi = new Hono<AppEnv>().post(
  "/",
  requireApiKey,
  requireJson,
  apiInput("json", ChargeBody),
  async (c) => {
    const key = idempotencyKey(c);
    const body = c.req.valid("json");
    const result = await asService((tx) =>
      chargeWithKey(tx, {
        apiKey: bearerApiKey(c.req.header("authorization")),
        userId: body.user_id,
        amount: BigInt(body.amount),
        idempotencyKey: key,
        metadata: { description: body.description },
      })
    );
    return c.json(postingJson(result, body.amount), result.created ? 201 : 200);
  },
);
