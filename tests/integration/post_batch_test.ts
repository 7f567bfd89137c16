import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, createUser, db } from "../_support/db.ts";
import { fund, key, rejectsWith, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { type BatchTransfer, postBatch } from "../../lib/wallet/batch.ts";
import { postTransfer } from "../../lib/wallet/transfers.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";

const batch = (transfers: BatchTransfer[]) => asService((tx) => postBatch(tx, transfers));
const t = (from: { id: string }, to: { id: string }, amount: bigint, k = key("b")): BatchTransfer => ({
  from: from.id,
  to: to.id,
  amount,
  idempotencyKey: k,
});
const outcome = (r: { created: boolean; error: string | null; transactionId: string | null }) =>
  r.error ?? (r.created ? "created" : `replayed`);

Deno.test("[ledger batch] items are decided in order; a refused item posts nothing and stops nothing", async () => {
  const [alice, bob, carol] = [await createUser("alice"), await createUser("bob"), await createUser("carol")];
  await fund(alice.id, 1_000n);
  const ghost = { id: crypto.randomUUID() };
  const results = await batch([
    t(bob, carol, 100n), // bob has nothing yet
    t(alice, bob, 700n),
    t(bob, carol, 500n), // spends what item 2 brought in
    t(alice, carol, 301n), // alice has 300 left
    t(alice, alice, 1n),
    t(alice, ghost, 1n),
    t(ghost, alice, 1n),
    t(alice, carol, 0n),
    t(alice, carol, 300n),
  ]);
  assertEquals(results.map(outcome), [
    "insufficient_funds",
    "created",
    "created",
    "insufficient_funds",
    "self_transfer",
    "recipient_not_found",
    "account_not_found",
    "invalid_amount",
    "created",
  ]);
  assertEquals(results.map((r) => r.item), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert(results.every((r) => (r.error === null) === (r.transactionId !== null)));
  assertEquals((await walletOf(alice.id)).balance, 0n);
  assertEquals((await walletOf(bob.id)).balance, 200n);
  assertEquals((await walletOf(carol.id)).balance, 800n);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ledger.transactions
    where id = any(${results.flatMap((r) => r.transactionId ? [r.transactionId] : [])}::bigint[])`.execute(
    db(),
  );
  assertEquals(rows[0].n, 3);
  await assertLedgerInvariants();
});

Deno.test("[ledger batch] replays: a key posted before or earlier in the batch answers its transaction; another request under it is a conflict", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 10_000n);
  const single = key("single");
  const { transactionId: before } = await asService((tx) =>
    postTransfer(tx, { fromUserId: alice.id, toUserId: bob.id, amount: 100n, idempotencyKey: single })
  );
  const repeated = key("rep");
  const first = await batch([
    t(alice, bob, 100n, single), // the same request as post_transfer's: a replay across both
    t(alice, bob, 200n, repeated),
    t(alice, bob, 200n, repeated), // the same key and request again in the batch: a replay of item 2
    t(alice, bob, 201n, repeated), // the same key, another request: a conflict
    t(alice, bob, 999n, single), // conflicts with the earlier posting
  ]);
  assertEquals(first.map(outcome), [
    "replayed",
    "created",
    "replayed",
    "idempotency_conflict",
    "idempotency_conflict",
  ]);
  assertEquals(first[0].transactionId, before);
  assertEquals(first[2].transactionId, first[1].transactionId);
  assertEquals((await walletOf(alice.id)).balance, 10_000n - 300n);
  // The whole batch sent again moves nothing more.
  const again = await batch([
    t(alice, bob, 100n, single),
    t(alice, bob, 200n, repeated),
    t(alice, bob, 200n, repeated),
    t(alice, bob, 201n, repeated),
    t(alice, bob, 999n, single),
  ]);
  assertEquals(again.map(outcome), [
    "replayed",
    "replayed",
    "replayed",
    "idempotency_conflict",
    "idempotency_conflict",
  ]);
  assertEquals(again.map((r) => r.transactionId), first.map((r) => r.transactionId));
  assertEquals((await walletOf(alice.id)).balance, 10_000n - 300n);
  // A key whose first item was refused is free for a later item of the same batch.
  const retry = key("retry");
  const late = await batch([
    t(bob, alice, 1_000n, retry),
    t(alice, bob, 1_000n),
    t(bob, alice, 1_000n, retry),
  ]);
  assertEquals(late.map(outcome), ["insufficient_funds", "created", "created"]);
  await assertLedgerInvariants();
});

Deno.test("[ledger batch] limits: 1 to 1000 items; malformed items are refused one by one", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 1_000_000n);
  await rejectsWith(() => batch([]), "batch_invalid");
  await rejectsWith(
    () => batch(Array.from({ length: 1001 }, () => t(alice, bob, 1n))),
    "batch_invalid",
  );
  const full = await batch(Array.from({ length: 1000 }, () => t(alice, bob, 1n)));
  assertEquals(full.filter((r) => r.created).length, 1000);
  assertEquals((await walletOf(bob.id)).balance, 1_000n);
  const raw = (json: string) =>
    asService(async (tx) =>
      (await sql<{ error: string | null }>`select error from ledger.post_batch(${json}::text::jsonb)`.execute(
        tx,
      ))
        .rows
        .map((r) => r.error)
    );
  const ok = `"from":"${alice.id}","to":"${bob.id}"`;
  assertEquals(
    await raw(`[
      {${ok},"amount":5,"idempotency_key":"${key()}"},
      1,
      {"from":"nobody","to":"${bob.id}","amount":5,"idempotency_key":"${key()}"},
      {${ok},"amount":"5","idempotency_key":"${key()}"},
      {${ok},"amount":5.5,"idempotency_key":"${key()}"},
      {${ok},"amount":5},
      {${ok},"amount":5,"idempotency_key":""},
      {${ok},"amount":5,"idempotency_key":"${key()}","note":"${"x".repeat(201)}"},
      {${ok},"amount":5,"idempotency_key":"${key()}","note":7}
    ]`),
    [
      null,
      "invalid_input",
      "invalid_input",
      "invalid_amount",
      "invalid_amount",
      "invalid_idempotency_key",
      "invalid_idempotency_key",
      "invalid_input",
      "invalid_input",
    ],
  );
  await rejectsWith(
    () =>
      walletErrors.mapping(() =>
        asService((tx) => sql`select * from ledger.post_batch('{}'::jsonb)`.execute(tx))
      ),
    "batch_invalid",
  );
  await assertLedgerInvariants();
});

Deno.test("[ledger batch] concurrent batches and single transfers over the same wallets neither deadlock nor overdraw", async () => {
  const users: { id: string }[] = [];
  for (let i = 0; i < 6; i++) users.push(await createUser(`c${i}`));
  for (const u of users) await fund(u.id, 5_000n);
  const randomBatch = () =>
    Array.from({ length: 200 }, () => {
      const a = Math.floor(Math.random() * users.length);
      const b = (a + 1 + Math.floor(Math.random() * (users.length - 1))) % users.length;
      return t(users[a], users[b], BigInt(1 + Math.floor(Math.random() * 400)));
    });
  const singles = async () => {
    for (let i = 0; i < 30; i++) {
      const a = Math.floor(Math.random() * users.length);
      const b = (a + 1) % users.length;
      await asService((tx) =>
        postTransfer(tx, {
          fromUserId: users[b].id,
          toUserId: users[a].id,
          amount: 50n,
          idempotencyKey: key(),
        })
      ).catch(() => {});
    }
  };
  await Promise.all([batch(randomBatch()), batch(randomBatch()), batch(randomBatch()), singles(), singles()]);
  let total = 0n;
  for (const u of users) {
    const w = await walletOf(u.id);
    assert(w.balance >= 0n);
    total += w.balance;
  }
  assertEquals(total, 30_000n);
  await assertLedgerInvariants();
});

Deno.test("[ledger batch] entries inserted outside the posting functions are still checked at commit", async () => {
  const alice = await createUser("alice");
  await fund(alice.id, 10n);
  const error = await db().transaction().execute(async (tx) => {
    const { rows: [t] } = await sql<{ id: string; account: string }>`
      insert into ledger.transactions (kind, idempotency_scope, idempotency_key, request_hash)
      values ('credit', 'test', ${key()}, gen_random_uuid()) returning id::text,
        (select id::text from ledger.accounts where user_id = ${alice.id}::uuid) as account`.execute(tx);
    await sql`insert into ledger.entries (transaction_id, leg, account_id, amount)
      values (${t.id}::bigint, 1, ${t.account}::bigint, 5)`.execute(tx);
  }).then(() => null, (e) => e as { code?: string });
  assertEquals(error?.code, "LW091");
});
