import { assert, assertEquals } from "@std/assert";
import { asService } from "../../lib/db/client.ts";
import { createApiKey } from "../../lib/apikeys/store.ts";
import { createUser } from "../_support/db.ts";
import { fund, key, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { api, caller, withApiStack } from "./wallet_api_client.ts";

const keyWith = (scopes: ("charges.create" | "transfers.batch")[]) =>
  asService((tx) => createApiKey(tx, { name: `batch ${scopes.join(" ")}`, accountCode: "revenue", scopes }));

Deno.test("[api] POST /transfers/batch — one result per transfer: created, replayed, refused; whole-batch refusals", async () => {
  await withApiStack(async (stack) => {
    const [alice, bob] = [await createUser("alice"), await createUser("bob")];
    await fund(alice.id, 1_000n);
    const batchKey = await keyWith(["transfers.batch"]);
    const chargesOnly = await keyWith(["charges.create"]);
    const send = (json: unknown, as = `Bearer ${batchKey.apiKey}`, locale: "en" | "fa" = "en") =>
      api(stack, "POST", "/api/v1/transfers/batch", { as, json, locale });
    const k = key("item");
    const transfers = [
      { from: alice.id, to: bob.id, amount: 600, idempotency_key: k, note: "first" },
      { from: alice.id, to: bob.id, amount: 600, idempotency_key: key() },
      { from: bob.id, to: alice.id, amount: 100, idempotency_key: key() },
    ];
    const first = await send({ transfers });
    assertEquals(first.status, 200, JSON.stringify(first.body));
    assertEquals(
      [first.body.created, first.body.replayed, first.body.refused],
      [2, 0, 1],
    );
    assertEquals(first.body.results.map((r: { status: string }) => r.status), [
      "created",
      "refused",
      "created",
    ]);
    assertEquals(first.body.results[1].error.code, "insufficient_funds");
    assertEquals(first.body.results[1].transaction_id, null);
    assert(/^\d+$/.test(first.body.results[0].transaction_id));
    assertEquals((await walletOf(alice.id)).balance, 500n);
    assertEquals((await walletOf(bob.id)).balance, 500n);

    // Sent again: the posted items replay with their transactions, nothing moves twice.
    const again = await send({ transfers: [transfers[0]] });
    assertEquals(again.body.results[0].status, "replayed");
    assertEquals(again.body.results[0].transaction_id, first.body.results[0].transaction_id);
    const conflict = await send({ transfers: [{ ...transfers[0], amount: 601 }] }, undefined, "fa");
    assertEquals(conflict.body.results[0].error.code, "idempotency_conflict");
    assert(
      /[\u0600-\u06FF]/.test(conflict.body.results[0].error.message),
      "the message is in the caller's language",
    );
    assertEquals((await walletOf(alice.id)).balance, 500n);

    // Keys: the scope is needed; a signed-in user's token is not a key.
    const unscoped = await send({ transfers }, `Bearer ${chargesOnly.apiKey}`);
    assertEquals([unscoped.status, unscoped.body.error.code], [403, "api_key_scope"]);
    const user = await caller(stack, "batcher");
    const asUserToken = await api(stack, "POST", "/api/v1/transfers/batch", {
      as: user,
      json: { transfers },
    });
    assertEquals([asUserToken.status, asUserToken.body.error.code], [401, "api_key_invalid"]);

    // Limits: 1 to 1000 transfers, well-formed ones.
    assertEquals((await send({ transfers: [] })).status, 400);
    const tooMany = Array.from({ length: 1001 }, () => ({ ...transfers[2], idempotency_key: key() }));
    assertEquals((await send({ transfers: tooMany })).status, 400);
    assertEquals((await send({ transfers: [{ ...transfers[2], amount: 0 }] })).status, 400);
    const full = await send({
      transfers: Array.from(
        { length: 1000 },
        () => ({ ...transfers[2], amount: 10, idempotency_key: key() }),
      ),
    });
    // Bob has 500: the first 50 transfers of 10 rials go through, the rest are refused one by one.
    assertEquals([full.status, full.body.created, full.body.refused], [200, 50, 950]);
    assertEquals(full.body.results[49].status, "created");
    assertEquals(full.body.results[50].error.code, "insufficient_funds");
    assertEquals([(await walletOf(alice.id)).balance, (await walletOf(bob.id)).balance], [1_000n, 0n]);
    await assertLedgerInvariants();
  });
});

Deno.test("[api] POST /transfers/batch — an item below the smallest transfer is refused as a single transfer would be, the others keep their order", async () => {
  await withApiStack(async (stack) => {
    const [alice, bob] = [await createUser("alice"), await createUser("bob")];
    await fund(alice.id, 100n);
    const batchKey = await keyWith(["transfers.batch"]);
    const send = (json: unknown, locale: "en" | "fa" = "en") =>
      api(stack, "POST", "/api/v1/transfers/batch", { as: `Bearer ${batchKey.apiKey}`, json, locale });
    const small = key("small");
    // WALLET_MIN_TRANSFER_RIAL is 10 by default: 9 rials is below it.
    const transfers = [
      { from: alice.id, to: bob.id, amount: 60, idempotency_key: key() },
      { from: alice.id, to: bob.id, amount: 9, idempotency_key: small },
      { from: alice.id, to: bob.id, amount: 40, idempotency_key: key() },
    ];
    const answer = await send({ transfers });
    assertEquals(answer.status, 200, JSON.stringify(answer.body));
    assertEquals(answer.body.results.map((r: { item: number; status: string }) => [r.item, r.status]), [
      [1, "created"],
      [2, "refused"],
      [3, "created"],
    ]);
    assertEquals(answer.body.results[1].error.code, "below_minimum_transfer");
    assertEquals(answer.body.results[1].transaction_id, null);
    assert(answer.body.results[1].error.message.includes("10"), answer.body.results[1].error.message);
    // The items around it spent all of Alice's 100: nothing of the 9 moved.
    assertEquals([(await walletOf(alice.id)).balance, (await walletOf(bob.id)).balance], [0n, 100n]);

    // Its key was never used: the same key with an amount at the minimum goes through (Bob pays this time).
    const later = await send({
      transfers: [{ from: bob.id, to: alice.id, amount: 10, idempotency_key: small }],
    }, "fa");
    assertEquals(later.body.results[0].status, "created");
    const allSmall = await send({ transfers: [{ ...transfers[1], idempotency_key: key() }] }, "fa");
    assertEquals(allSmall.body.results[0].error.code, "below_minimum_transfer");
    assert(allSmall.body.results[0].error.message.includes("۱۰"), allSmall.body.results[0].error.message);
    assertEquals([(await walletOf(alice.id)).balance, (await walletOf(bob.id)).balance], [10n, 90n]);
    await assertLedgerInvariants();
  });
});
