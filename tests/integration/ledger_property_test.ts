/**
 * Property: random sequences of postings (credits, debits, charges, adjustments, transfers, withdrawals with
 * their holds, approvals, rejections, reversals and replays) keep the ledger exact. After every step the
 * database agrees with a simple model of three wallets, every transaction touching them sums to zero, each
 * balance equals the sum of its entries and no available balance is negative.
 */
import { assertEquals } from "@std/assert";
import fc from "fast-check";
import { sql } from "kysely";
import { asService, asUser, createUser, db, type TestUser } from "../_support/db.ts";
import { key } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { DomainError } from "../../lib/errors.ts";
import { adjust, charge, postCredit, postDebit, reverse } from "../../lib/wallet/postings.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { approveWithdrawal, rejectWithdrawal, requestWithdrawal } from "../../lib/wallet/withdrawals.ts";

const amount = fc.integer({ min: 1, max: 1_000 }).map(BigInt);
const who = fc.nat(2);
const op = fc.oneof(
  fc.record({ type: fc.constant("credit" as const), user: who, amount }),
  fc.record({ type: fc.constant("debit" as const), user: who, amount }),
  fc.record({ type: fc.constant("charge" as const), user: who, amount }),
  fc.record({ type: fc.constant("adjust" as const), user: who, amount, negative: fc.boolean() }),
  fc.record({ type: fc.constant("transfer" as const), user: who, to: who, amount }),
  fc.record({ type: fc.constant("withdraw" as const), user: who, amount }),
  fc.record({ type: fc.constant("decide" as const), pick: fc.nat(), approve: fc.boolean() }),
  fc.record({ type: fc.constant("reverse" as const), pick: fc.nat() }),
  fc.record({ type: fc.constant("replay" as const) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

interface Model {
  balance: bigint[];
  held: bigint[];
  pending: { id: string; user: number; amount: bigint }[];
  posted: { id: string; deltas: Map<number, bigint>; reversible: boolean }[];
  last?: { run: () => Promise<unknown>; result: unknown };
}

const available = (m: Model, user: number) => m.balance[user] - m.held[user];

/** Runs one operation against the database and the model; refusals must be exactly the predicted ones. */
async function step(users: TestUser[], finance: TestUser, m: Model, o: Op): Promise<void> {
  const id = (u: number) => users[u].id;
  const expectPosting = async (
    deltas: Map<number, bigint>,
    run: () => Promise<{ transactionId: string }>,
    reversible = true,
  ) => {
    const affordable = [...deltas].every(([u, d]) => available(m, u) + d >= 0n);
    const outcome = await run().then((r) => r, (e) => e);
    if (!affordable) {
      assertEquals((outcome as DomainError).code, "insufficient_funds", String(outcome));
      return;
    }
    if (!(outcome as { transactionId?: string }).transactionId) throw outcome;
    for (const [u, d] of deltas) m.balance[u] += d;
    m.posted.push({ id: (outcome as { transactionId: string }).transactionId, deltas, reversible });
    m.last = { run, result: outcome };
  };
  const k = key("prop");
  switch (o.type) {
    case "credit":
      return await expectPosting(
        new Map([[o.user, o.amount]]),
        () => asService((tx) => postCredit(tx, { userId: id(o.user), amount: o.amount, idempotencyKey: k })),
        false, // gateway postings are undone by a refund, never by a reversal
      );
    case "debit":
      return await expectPosting(
        new Map([[o.user, -o.amount]]),
        () => asService((tx) => postDebit(tx, { userId: id(o.user), amount: o.amount, idempotencyKey: k })),
        false,
      );
    case "charge":
      return await expectPosting(
        new Map([[o.user, -o.amount]]),
        () => asService((tx) => charge(tx, { userId: id(o.user), amount: o.amount, idempotencyKey: k })),
      );
    case "adjust": {
      const signed = o.negative ? -o.amount : o.amount;
      return await expectPosting(
        new Map([[o.user, signed]]),
        () =>
          asUser(
            finance.claims,
            (tx) => adjust(tx, { userId: id(o.user), amount: signed, reason: "property", idempotencyKey: k }),
          ),
      );
    }
    case "transfer": {
      const send = () =>
        asUser(
          users[o.user].claims,
          (tx) => transfer(tx, { recipient: users[o.to].email, amount: o.amount, idempotencyKey: k }),
        );
      if (o.user === o.to) {
        // What the sender cannot pay is refused before the recipient is looked at (no recipient oracle).
        const expected = available(m, o.user) < o.amount ? "insufficient_funds" : "self_transfer";
        assertEquals((await send().catch((e) => e) as DomainError).code, expected);
        return;
      }
      return await expectPosting(new Map([[o.user, -o.amount], [o.to, o.amount]]), send);
    }
    case "withdraw": {
      const request = () =>
        asUser(
          users[o.user].claims,
          (tx) =>
            requestWithdrawal(tx, {
              amount: o.amount,
              iban: "IR062960000000100324200001",
              idempotencyKey: k,
            }),
        );
      const outcome = await request().then((r) => r, (e) => e);
      if (available(m, o.user) < o.amount) {
        assertEquals((outcome as DomainError).code, "insufficient_funds");
        return;
      }
      m.held[o.user] += o.amount;
      m.pending.push({ id: outcome.withdrawalId, user: o.user, amount: o.amount });
      m.last = { run: request, result: outcome };
      return;
    }
    case "decide": {
      if (m.pending.length === 0) return;
      const [w] = m.pending.splice(o.pick % m.pending.length, 1);
      m.held[w.user] -= w.amount;
      if (!o.approve) {
        await asUser(
          finance.claims,
          (tx) => rejectWithdrawal(tx, { withdrawalId: w.id, reason: "property" }),
        );
        return;
      }
      const paid = await asUser(
        finance.claims,
        (tx) => approveWithdrawal(tx, { withdrawalId: w.id, bankReference: k }),
      );
      if (!paid.paid) throw new Error("amounts here are below the four-eyes threshold: one approval pays");
      m.balance[w.user] -= w.amount;
      // A paid withdrawal left the ledger for a bank account: it cannot be reversed.
      m.posted.push({ id: paid.transactionId, deltas: new Map([[w.user, -w.amount]]), reversible: false });
      return;
    }
    case "reverse": {
      if (m.posted.length === 0) return;
      const original = m.posted[o.pick % m.posted.length];
      const run = () =>
        asUser(
          finance.claims,
          (tx) => reverse(tx, { transactionId: original.id, reason: "property", idempotencyKey: k }),
        );
      if (!original.reversible) {
        const code = (await run().catch((e) => e) as DomainError).code;
        assertEquals(["already_reversed", "not_reversible"].includes(code), true, code);
        return;
      }
      const negated = new Map([...original.deltas].map(([u, d]) => [u, -d]));
      const before = m.posted.length;
      await expectPosting(negated, run);
      if (m.posted.length > before) {
        original.reversible = false;
        m.posted[m.posted.length - 1].reversible = false;
      }
      return;
    }
    case "replay": {
      if (!m.last) return;
      assertEquals(await m.last.run(), m.last.result);
      return;
    }
  }
}

/** The database agrees with the model, and the ledger's invariants hold for these wallets. */
async function check(users: TestUser[], m: Model): Promise<void> {
  const ids = users.map((u) => u.id);
  const { rows } = await sql<{ user_id: string; balance: string; held: string; entries: string }>`
    select b.user_id::text, b.balance::text, b.held::text,
      (select coalesce(sum(e.amount), 0) from ledger.entries e where e.account_id = b.account_id)::text as entries
    from ledger.wallet_balances b where b.user_id = any(${ids}::uuid[])`.execute(db());
  const byUser = new Map(rows.map((r) => [r.user_id, r]));
  const actual = ids.map((u) => byUser.get(u)).map((r) => [r!.balance, r!.held, r!.entries]);
  const expected = m.balance.map((b, i) => [String(b), String(m.held[i]), String(b)]);
  assertEquals(actual, expected);
  m.balance.forEach((b, i) => assertEquals(b - m.held[i] >= 0n, true));
  const unbalanced = await sql`select e.transaction_id from ledger.entries e
    where e.transaction_id in (select x.transaction_id from ledger.entries x join ledger.accounts a
                               on a.id = x.account_id where a.user_id = any(${ids}::uuid[]))
    group by e.transaction_id having sum(e.amount) <> 0 or count(*) < 2`.execute(db());
  assertEquals(unbalanced.rows, []);
}

Deno.test("[ledger property] random posting sequences keep every wallet equal to its entries and never negative", async () => {
  const finance = await createUser("fin", { role: "finance" });
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
      const users = [await createUser("p0"), await createUser("p1"), await createUser("p2")];
      const m: Model = { balance: [0n, 0n, 0n], held: [0n, 0n, 0n], pending: [], posted: [] };
      for (const o of ops) {
        await step(users, finance, m, o);
        await check(users, m);
      }
    }),
    { numRuns: 40 },
  );
});

Deno.test("[ledger property] invariants — hold after the property runs", async () => {
  await assertLedgerInvariants();
});
