import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, asUser, createUser, db } from "../_support/db.ts";
import { fund, key, randomIban, rejectsWith, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import {
  approveWithdrawal,
  cancelWithdrawal,
  listWithdrawals,
  rejectWithdrawal,
  requestWithdrawal,
} from "../../lib/wallet/withdrawals.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { listEntries } from "../../lib/wallet/entries.ts";

async function funded(name: string, amount: bigint) {
  const user = await createUser(name);
  await fund(user.id, amount);
  return user;
}

const balances = async (userId: string) => {
  const w = await walletOf(userId);
  return { balance: w.balance, held: w.held, available: w.available };
};

Deno.test("[withdrawals] owner — a request holds the amount at once; approval pays it out to payouts", async () => {
  const alice = await funded("alice", 10_000n);
  const finance = await createUser("fin", { role: "finance" });
  const iban = randomIban();
  const spaced = iban.toLowerCase().replace(/(.{4})/g, "$1 ");
  const { withdrawalId } = await asUser(
    alice.claims,
    (tx) => requestWithdrawal(tx, { amount: 6_000n, iban: spaced, idempotencyKey: key() }),
  );
  assertEquals(await balances(alice.id), { balance: 10_000n, held: 6_000n, available: 4_000n });
  const [pending] = (await asUser(alice.claims, (tx) => listWithdrawals(tx))).withdrawals;
  assertEquals([pending.id, pending.status, pending.iban, pending.amount], [
    withdrawalId,
    "pending",
    iban,
    6_000n,
  ]);

  const paid = await asUser(
    finance.claims,
    (tx) => approveWithdrawal(tx, { withdrawalId, bankReference: "PAYA-42" }),
  );
  assert(paid.paid, "below the four-eyes threshold one approval pays");
  assertEquals(await balances(alice.id), { balance: 4_000n, held: 0n, available: 4_000n });
  assertEquals(
    await asUser(finance.claims, (tx) => approveWithdrawal(tx, { withdrawalId, bankReference: "PAYA-42" })),
    paid,
  );
  await rejectsWith(
    () => asUser(finance.claims, (tx) => approveWithdrawal(tx, { withdrawalId, bankReference: "OTHER" })),
    "withdrawal_not_pending",
  );
  const [approved] = (await asUser(alice.claims, (tx) => listWithdrawals(tx))).withdrawals;
  assertEquals([approved.status, approved.bankReference, approved.transactionId], [
    "approved",
    "PAYA-42",
    paid.transactionId,
  ]);
  const { entries } = await asUser(alice.claims, (tx) => listEntries(tx, { kinds: ["withdrawal"] }));
  assertEquals(entries.map((e) => e.amount), [-6_000n]);
  const { rows } = await sql<
    { code: string; amount: string }
  >`select a.code, e.amount::text from ledger.entries e
    join ledger.accounts a on a.id = e.account_id
    where e.transaction_id = ${paid.transactionId}::bigint and a.kind = 'system'`.execute(db());
  assertEquals(rows, [{ code: "payouts", amount: "6000" }]);
});

Deno.test("[withdrawals] owner — held money cannot be spent or requested twice", async () => {
  const [alice, bob] = [await funded("alice", 1_000n), await createUser("bob")];
  await asUser(
    alice.claims,
    (tx) => requestWithdrawal(tx, { amount: 800n, iban: randomIban(), idempotencyKey: key() }),
  );
  await rejectsWith(
    () =>
      asUser(
        alice.claims,
        (tx) => requestWithdrawal(tx, { amount: 201n, iban: randomIban(), idempotencyKey: key() }),
      ),
    "insufficient_funds",
  );
  await rejectsWith(
    () =>
      asUser(
        alice.claims,
        (tx) => transfer(tx, { recipient: bob.email, amount: 201n, idempotencyKey: key() }),
      ),
    "insufficient_funds",
  );
  await asUser(
    alice.claims,
    (tx) => transfer(tx, { recipient: bob.email, amount: 200n, idempotencyKey: key() }),
  );
  assertEquals(await balances(alice.id), { balance: 800n, held: 800n, available: 0n });
});

Deno.test("[withdrawals] staff — rejection and cancellation release the hold; decided requests stay decided", async () => {
  const alice = await funded("alice", 5_000n);
  const finance = await createUser("fin", { role: "finance" });
  const ask = (amount: bigint) =>
    asUser(
      alice.claims,
      (tx) => requestWithdrawal(tx, { amount, iban: randomIban(), idempotencyKey: key() }),
    );
  const first = await ask(1_000n);
  const second = await ask(2_000n);
  assertEquals(await balances(alice.id), { balance: 5_000n, held: 3_000n, available: 2_000n });
  await rejectsWith(
    () =>
      asUser(finance.claims, (tx) => rejectWithdrawal(tx, { withdrawalId: first.withdrawalId, reason: "" })),
    "reason_required",
  );
  await asUser(
    finance.claims,
    (tx) => rejectWithdrawal(tx, { withdrawalId: first.withdrawalId, reason: "name mismatch" }),
  );
  await asUser(
    finance.claims,
    (tx) => rejectWithdrawal(tx, { withdrawalId: first.withdrawalId, reason: "name mismatch" }),
  );
  await asUser(alice.claims, (tx) => cancelWithdrawal(tx, second));
  assertEquals(await balances(alice.id), { balance: 5_000n, held: 0n, available: 5_000n });
  await rejectsWith(
    () =>
      asUser(
        finance.claims,
        (tx) => approveWithdrawal(tx, { withdrawalId: second.withdrawalId, bankReference: "X1" }),
      ),
    "withdrawal_not_pending",
  );
  await rejectsWith(
    () => asUser(alice.claims, (tx) => cancelWithdrawal(tx, first)),
    "withdrawal_not_pending",
  );
  const statuses = (await asUser(alice.claims, (tx) => listWithdrawals(tx))).withdrawals.map((
    w,
  ) => [w.status, w.reviewNote]);
  assertEquals(statuses, [["cancelled", null], ["rejected", "name mismatch"]]);
});

Deno.test("[withdrawals] owner — replaying a request returns it; the same key for another request is a 409", async () => {
  const alice = await funded("alice", 5_000n);
  const input = { amount: 1_500n, iban: randomIban(), idempotencyKey: key() };
  const first = await asUser(alice.claims, (tx) => requestWithdrawal(tx, input));
  assertEquals(await asUser(alice.claims, (tx) => requestWithdrawal(tx, input)), first);
  await rejectsWith(
    () => asUser(alice.claims, (tx) => requestWithdrawal(tx, { ...input, amount: 1_600n })),
    "idempotency_conflict",
  );
  assertEquals((await balances(alice.id)).held, 1_500n);
});

Deno.test("[withdrawals] owner — a Sheba number with a wrong checksum or shape is refused, in TS and in SQL", async () => {
  const alice = await funded("alice", 5_000n);
  const good = randomIban();
  const bad = `${good.slice(0, 25)}${(Number(good[25]) + 1) % 10}`;
  for (const iban of [bad, "IR12", `DE${good.slice(2)}`, `${good}0`]) {
    await rejectsWith(
      () => asUser(alice.claims, (tx) => requestWithdrawal(tx, { amount: 1n, iban, idempotencyKey: key() })),
      "invalid_iban",
    );
  }
  const direct = await asUser(
    alice.claims,
    (tx) =>
      sql`select ledger.request_withdrawal(1, ${bad}, ${key()})`.execute(tx).then(
        () => "accepted",
        (e) => e.code,
      ),
  );
  assertEquals(direct, "LW006");
  assertEquals((await balances(alice.id)).held, 0n);
});

Deno.test("[withdrawals] stranger — cannot see, cancel or review someone else's withdrawal", async () => {
  const [alice, mallory] = [await funded("alice", 2_000n), await createUser("mallory")];
  const { withdrawalId } = await asUser(
    alice.claims,
    (tx) => requestWithdrawal(tx, { amount: 500n, iban: randomIban(), idempotencyKey: key() }),
  );
  assertEquals((await asUser(mallory.claims, (tx) => listWithdrawals(tx))).withdrawals, []);
  await rejectsWith(
    () => asUser(mallory.claims, (tx) => cancelWithdrawal(tx, { withdrawalId })),
    "withdrawal_not_found",
  );
  await rejectsWith(
    () => asUser(mallory.claims, (tx) => approveWithdrawal(tx, { withdrawalId, bankReference: "X" })),
    "not_permitted",
  );
  await rejectsWith(
    () => asUser(alice.claims, (tx) => approveWithdrawal(tx, { withdrawalId, bankReference: "X" })),
    "not_permitted",
  );
  assertEquals((await balances(alice.id)).held, 500n);
});

Deno.test("[withdrawals] staff — finance lists every user's withdrawals, filtered by status and page by page", async () => {
  const [alice, bob] = [await funded("alice", 3_000n), await funded("bob", 3_000n)];
  const finance = await createUser("fin", { role: "finance" });
  for (const user of [alice, bob, alice]) {
    await asUser(
      user.claims,
      (tx) => requestWithdrawal(tx, { amount: 100n, iban: randomIban(), idempotencyKey: key() }),
    );
  }
  const mine = await asUser(finance.claims, (tx) => listWithdrawals(tx, { userId: alice.id, limit: 1 }));
  assertEquals(mine.withdrawals.length, 1);
  assert(mine.nextCursor);
  const next = await asUser(
    finance.claims,
    (tx) => listWithdrawals(tx, { userId: alice.id, limit: 1, cursor: mine.nextCursor! }),
  );
  assertEquals(next.withdrawals.length, 1);
  assert(Number(next.withdrawals[0].id) < Number(mine.withdrawals[0].id));
  assertEquals(next.nextCursor, null);
  const pending = await asUser(
    finance.claims,
    (tx) => listWithdrawals(tx, { status: "pending", limit: 100 }),
  );
  const users = new Set(pending.withdrawals.map((w) => w.userId));
  assert(users.has(alice.id) && users.has(bob.id));
  assert(pending.withdrawals.every((w) => w.status === "pending"));
  const viaService = await asService((tx) => listWithdrawals(tx, { userId: bob.id }));
  assertEquals(viaService.withdrawals.length, 1);
});

Deno.test("[withdrawals] invariants — hold after the withdrawals tests", async () => {
  await assertLedgerInvariants();
});
