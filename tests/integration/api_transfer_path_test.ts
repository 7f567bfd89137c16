/**
 * The API's busiest call stays cheap for the app: POST /api/v1/wallet/transfers sends ledger.transfer_as as
 * one statement on the pool (no reserved connection, no transaction, no Kysely), with the same answers as
 * before: 201 and the receipt for a new posting, 200 and the original receipt for a replay, refusals mapped.
 */
import { assert, assertEquals } from "@std/assert";
import { db, poolCounts } from "../../lib/db/client.ts";
import { fund, walletOf } from "../_support/ledger.ts";
import { api, caller, withApiStack } from "./wallet_api_client.ts";

Deno.test("[api transfer path] one statement on the pool per transfer, no reserved connection", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "Sara");
    const reza = await caller(stack, "Reza");
    await fund(sara.id, 1_000_000n);
    const transfer = (key: string, amount = 1_000) =>
      api(stack, "POST", "/api/v1/wallet/transfers", { as: sara, key, json: { to: reza.email, amount } });
    // The first request of a token may read the role's permissions (cached afterwards).
    assertEquals((await transfer(crypto.randomUUID())).status, 201);

    await t.step("a transfer: one statement, no reservation", async () => {
      const before = poolCounts(db());
      const key = crypto.randomUUID();
      const res = await transfer(key, 2_000);
      const after = poolCounts(db());
      assertEquals(res.status, 201);
      assertEquals(res.body.amount, 2_000);
      assert(/^\d+$/.test(res.body.transaction_id));
      assertEquals(after.statements - before.statements, 1);
      assertEquals(after.reservations - before.reservations, 0);
      // A replay answers 200 with the same receipt, and also costs one statement.
      const replay = await transfer(key, 2_000);
      assertEquals(replay.status, 200);
      assertEquals(replay.body, res.body);
      assertEquals(poolCounts(db()).statements - after.statements, 1);
    });

    await t.step("refusals still map to the wallet's codes", async () => {
      const poor = await transfer(crypto.randomUUID(), 10_000_000);
      assertEquals([poor.status, poor.body.error.code], [422, "insufficient_funds"]);
      const nobody = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: sara,
        key: crypto.randomUUID(),
        json: { to: "nobody-here@test.pishkhan.local", amount: 1_000 },
      });
      assertEquals([nobody.status, nobody.body.error.code], [404, "recipient_not_found"]);
    });

    await t.step("concurrent transfers share the pool and all post", async () => {
      const before = (await walletOf(reza.id)).balance;
      const answers = await Promise.all(Array.from({ length: 30 }, () => transfer(crypto.randomUUID(), 100)));
      assertEquals(answers.map((a) => a.status), Array(30).fill(201));
      assertEquals((await walletOf(reza.id)).balance - before, 3_000n);
    });
  });
});
