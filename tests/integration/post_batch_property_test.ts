/**
 * Property: a batch (ledger.post_batch) decides every item exactly as ledger.post_transfer decides it when
 * called for the items one after another. Each random case builds the same small world twice, each time in
 * a database transaction that is rolled back: a few funded wallets (some with money held), keys already
 * posted with some request, then the batch in one world and post_transfer item by item in the other. The
 * two must agree on every item (posted, replayed — of which posting — or the refusal code), on every
 * wallet's balance and on what each new transaction holds (metadata, request hash, legs). Batches come
 * clean (well-formed, fresh keys: the set-based path, unless the money runs out in item order) or dirty
 * (overdrafts, unknown users, self-transfers, bad amounts, keys and notes, keys reused within the batch and
 * from before); both of post_transfer_batch's paths must be taken.
 */
import { assert, assertEquals } from "@std/assert";
import fc from "fast-check";
import { sql } from "kysely";
import { asService, createUser, db } from "../_support/db.ts";
import type { Tx } from "../../lib/db/client.ts";
import { fund, key, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { DomainError, fromDatabaseError } from "../../lib/errors.ts";
import { postBatch } from "../../lib/wallet/batch.ts";
import { postTransfer } from "../../lib/wallet/transfers.ts";

const WALLETS = 4;

interface Item {
  from: number; // index into the world's users; WALLETS means a user that does not exist
  to: number;
  amount: bigint;
  key: string;
  note?: string;
}

interface World {
  balances: bigint[];
  held: bigint[];
  /** Postings made before the batch: post_transfer(from, to, amount, key). */
  before: Item[];
}

interface Outcome {
  items: string[];
  balances: string[];
  transactions: string[];
  path: string | null;
}

const KEYS = ["prop-k0", "prop-k1", "prop-k2", "prop-k3"];
const note = fc.option(
  fc.constantFrom("rent", "x".repeat(201), 'quote " and \\ back', "ضریب", "line\nbreak\t\u0001"),
  {
    nil: undefined,
  },
);
const anyItem = fc.record({
  from: fc.nat(WALLETS),
  to: fc.nat(WALLETS),
  amount: fc.oneof(
    fc.integer({ min: 1, max: 400 }).map(BigInt),
    fc.constantFrom(0n, -5n, 1_000_000_000_000_001n),
  ),
  key: fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom("", "x".repeat(256))),
  note,
});
const dirtyBatch = fc.array(anyItem, { minLength: 1, maxLength: 14 });
/** Well-formed transfers between known wallets with fresh keys of their own: only money decides. */
const cleanBatch = fc.array(
  fc.record({
    from: fc.nat(WALLETS - 1),
    shift: fc.integer({ min: 1, max: WALLETS - 1 }),
    amount: fc.integer({ min: 1, max: 400 }).map(BigInt),
    note,
  }).filter((i) => i.note === undefined || i.note.length <= 200),
  { minLength: 1, maxLength: 14 },
).map((items) =>
  items.map((i, n): Item => ({
    from: i.from,
    to: (i.from + i.shift) % WALLETS,
    amount: i.amount,
    key: `prop-fresh-${n}`,
    note: i.note,
  }))
);
const world = fc.record({
  balances: fc.array(
    fc.oneof(
      { arbitrary: fc.constant(0n), weight: 1 },
      { arbitrary: fc.integer({ min: 1, max: 1_500 }).map(BigInt), weight: 2 },
      { arbitrary: fc.integer({ min: 1_500, max: 6_000 }).map(BigInt), weight: 3 },
    ),
    { minLength: WALLETS, maxLength: WALLETS },
  ),
  held: fc.array(fc.constantFrom(0n, 0n, 50n), { minLength: WALLETS, maxLength: WALLETS }),
  before: fc.array(
    fc.record({
      from: fc.nat(WALLETS - 1),
      to: fc.nat(WALLETS - 1),
      amount: fc.integer({ min: 1, max: 100 }).map(BigInt),
      key: fc.constantFrom(...KEYS),
    }),
    { maxLength: 3 },
  ),
});

class Rollback extends Error {}

/** Runs `fn` in a database transaction (as the owner, so the keys are in the service scope) and undoes it. */
async function inRolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await db().transaction().execute(async (tx) => {
    result = await fn(tx);
    throw new Rollback();
  }).catch((e) => {
    if (!(e instanceof Rollback)) throw e;
  });
  return result!;
}

const userIds = (seed: string) =>
  Array.from(
    { length: WALLETS + 1 },
    (_, i) => `00000000-0000-4000-8000-${seed}${String(i).padStart(2, "0")}`,
  );

/** The world's users (the last one never exists), their money and the postings made before. */
async function build(tx: Tx, ids: string[], w: World) {
  for (let i = 0; i < WALLETS; i++) {
    await sql`insert into auth.users (id, aud, role, email, created_at, updated_at)
      values (${ids[i]}::uuid, 'authenticated', 'authenticated', ${`batch-prop-${
      ids[i]
    }@test.pishkhan.local`},
              now(), now())`.execute(tx);
    if (w.balances[i] > 0n) {
      await sql`select ledger.post_credit(${ids[i]}::uuid, ${
        String(w.balances[i])
      }::bigint, 'topup', ${`fund-${i}`}, '{}')`
        .execute(tx);
    }
  }
  for (const b of w.before) {
    await sql`savepoint before`.execute(tx);
    await sql`select ledger.post_transfer(${ids[b.from]}::uuid, ${ids[b.to]}::uuid, ${
      String(b.amount)
    }::bigint, ${b.key})`
      .execute(tx).then(
        () => sql`release savepoint before`.execute(tx),
        () => sql`rollback to savepoint before`.execute(tx),
      );
  }
  // Money held (a pending withdrawal's hold) is not available to spend.
  for (let i = 0; i < WALLETS; i++) {
    if (w.held[i] === 0n) continue;
    await sql`with h as (
        insert into ledger.holds (account_id, amount, reason)
        select account_id, least(${
      String(w.held[i])
    }::bigint, balance - held), 'property test' from ledger.wallet_balances
        where user_id = ${ids[i]}::uuid and balance - held > 0 returning account_id, amount)
      update ledger.wallet_balances b set held = b.held + h.amount from h where b.account_id = h.account_id`
      .execute(tx);
  }
  const { rows } = await sql<{ id: string; key: string }>`select id::text, idempotency_key as key
    from ledger.transactions where idempotency_scope = 'service' and idempotency_key = any(${KEYS}::text[])`
    .execute(tx);
  return new Map(rows.map((r) => [r.id, `before:${r.key}`]));
}

/** What the world holds after the items: balances and each new transaction's content, by who made it. */
async function observe(tx: Tx, ids: string[], names: Map<string, string>, path: string | null) {
  const { rows: balances } = await sql<{ b: string }>`select b.balance::text || '/' || b.held::text as b
    from unnest(${ids.slice(0, WALLETS)}::uuid[]) with ordinality as u (id, o)
    join ledger.wallet_balances b on b.user_id = u.id order by u.o`.execute(tx);
  const made = [...names].filter(([, name]) => name.startsWith("item:")).map(([id]) => id);
  const { rows: transactions } = await sql<{ id: string; t: string }>`select t.id::text,
      t.kind || ' ' || t.idempotency_key || ' ' || t.request_hash || ' ' || t.metadata::text || ' ' ||
      (select string_agg(e.leg || ':' || a.user_id || ':' || e.amount, ' ' order by e.leg)
       from ledger.entries e join ledger.accounts a on a.id = e.account_id where e.transaction_id = t.id) as t
    from ledger.transactions t where t.id = any(${made}::bigint[])`.execute(tx);
  const { rows: problems } = await sql<
    { n: number }
  >`select count(*)::int as n from ledger.check_invariants()`
    .execute(tx);
  assertEquals(problems[0].n, 0);
  return {
    balances: balances.map((r) => r.b),
    transactions: transactions.map((r) => `${names.get(r.id)} ${r.t}`).sort(),
    path,
  };
}

const toJson = (ids: string[], items: Item[]) =>
  `[${
    items.map((i) =>
      `{"from":"${ids[i.from]}","to":"${ids[i.to]}","amount":${i.amount},"idempotency_key":${
        JSON.stringify(i.key)
      }${i.note === undefined ? "" : `,"note":${JSON.stringify(i.note)}`}}`
    ).join(",")
  }]`;

async function asBatch(seed: string, w: World, items: Item[]): Promise<Outcome> {
  const ids = userIds(seed);
  return await inRolledBack(async (tx) => {
    const names = await build(tx, ids, w);
    const { rows } = await sql<{ transaction_id: string | null; created: boolean; error: string | null }>`
      select transaction_id::text, created, error from ledger.post_batch(${toJson(ids, items)}::text::jsonb)
      order by item`.execute(tx);
    rows.forEach((r, n) => {
      if (r.created) names.set(r.transaction_id!, `item:${n + 1}`);
    });
    const { rows: [{ path }] } = await sql<{ path: string | null }>`
      select current_setting('ledger.batch_path', true) as path`.execute(tx);
    return {
      items: rows.map((r) =>
        r.error ?? `${r.created ? "created" : "replayed"} ${names.get(r.transaction_id!) ?? "?"}`
      ),
      ...await observe(tx, ids, names, path),
    };
  });
}

/** The refusal code the app would answer for a database error (its SQLSTATE), as the batch reports it. */
const codeOf = (error: unknown) => {
  const refusal = fromDatabaseError(error);
  return refusal instanceof DomainError ? refusal.code : String(error);
};

async function oneByOne(seed: string, w: World, items: Item[]): Promise<Outcome> {
  const ids = userIds(seed);
  return await inRolledBack(async (tx) => {
    const names = await build(tx, ids, w);
    const results: string[] = [];
    for (const [n, i] of items.entries()) {
      await sql`savepoint item`.execute(tx);
      const { rows: [existing] } = await sql<{ id: string }>`select id::text from ledger.transactions
        where idempotency_scope = 'service' and idempotency_key = ${i.key}`.execute(tx);
      const outcome = await sql<{ id: string }>`select ledger.post_transfer(${ids[i.from]}::uuid,
          ${ids[i.to]}::uuid, ${String(i.amount)}::bigint, ${i.key}, ${i.note ?? null}::text)::text as id`
        .execute(tx)
        .then((r) => r.rows[0].id, (e: unknown) => ({ error: e }));
      if (typeof outcome === "string") {
        await sql`release savepoint item`.execute(tx);
        if (!existing) names.set(outcome, `item:${n + 1}`);
        results.push(`${existing ? "replayed" : "created"} ${names.get(outcome) ?? "?"}`);
      } else {
        await sql`rollback to savepoint item`.execute(tx);
        results.push(codeOf(outcome.error));
      }
    }
    return { items: results, ...await observe(tx, ids, names, null) };
  });
}

Deno.test("[ledger batch property] a batch decides every item as post_transfer does one after another, on both paths", async () => {
  const paths = { set: 0, sequential: 0 };
  let run = 0;
  await fc.assert(
    fc.asyncProperty(world, fc.oneof(cleanBatch, cleanBatch, dirtyBatch), async (w, items) => {
      const seed = String(run++ % 100_000_000).padStart(10, "0");
      const batch = await asBatch(seed, w, items);
      const sequential = await oneByOne(seed, w, items);
      paths[batch.path as keyof typeof paths]++;
      assertEquals(
        { items: batch.items, balances: batch.balances, transactions: batch.transactions },
        { items: sequential.items, balances: sequential.balances, transactions: sequential.transactions },
      );
    }),
    { numRuns: 150 },
  );
  assert(paths.set >= 20 && paths.sequential >= 20, `both paths taken: ${JSON.stringify(paths)}`);
});

Deno.test("[ledger batch property] an item with several faults gets post_transfer's refusal", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 1_000n);
  const reused = key("reused");
  await asService((tx) =>
    postTransfer(tx, { fromUserId: alice.id, toUserId: bob.id, amount: 5n, idempotencyKey: reused })
  );
  const ghost = crypto.randomUUID();
  const results = await asService((tx) =>
    postBatch(tx, [
      { from: alice.id, to: bob.id, amount: 0n, idempotencyKey: "" }, // bad amount before bad key
      { from: alice.id, to: ghost, amount: 5n, idempotencyKey: reused }, // unknown recipient before the key
      { from: alice.id, to: alice.id, amount: 5n, idempotencyKey: reused }, // self-transfer before the key
      { from: alice.id, to: bob.id, amount: 5_000n, idempotencyKey: reused }, // the key before the money
    ])
  );
  assertEquals(results.map((r) => r.error), [
    "invalid_amount",
    "recipient_not_found",
    "self_transfer",
    "idempotency_conflict",
  ]);
});

Deno.test("[ledger batch property] money spent while the batch waits for its wallets: the locked balances decide, in order", async () => {
  const [alice, bob, carol] = [await createUser("alice"), await createUser("bob"), await createUser("carol")];
  await fund(alice.id, 100n);
  // Another posting spends alice's money and holds her wallet row until it commits.
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let spent!: () => void;
  const spending = new Promise<void>((resolve) => spent = resolve);
  const other = asService(async (tx) => {
    await postTransfer(tx, { fromUserId: alice.id, toUserId: bob.id, amount: 100n, idempotencyKey: key() });
    spent();
    await released;
  });
  await spending;
  // Read before that commits, the balances cover the batch (alice pays carol, carol pays alice back); after
  // it, alice has nothing, so item 1 is refused and carol, who then received nothing, cannot pay item 2.
  const batch = asService(async (tx) => {
    const results = await postBatch(tx, [
      { from: alice.id, to: carol.id, amount: 100n, idempotencyKey: key() },
      { from: carol.id, to: alice.id, amount: 100n, idempotencyKey: key() },
    ]);
    const { rows: [{ path }] } = await sql<{ path: string }>`
      select current_setting('ledger.batch_path', true) as path`.execute(tx);
    return { results, path };
  });
  // Let the batch reach the lock on alice's row, then commit the other posting.
  for (let i = 0; i < 100; i++) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where wait_event_type = 'Lock' and query like '%post_batch%'`.execute(db());
    if (rows[0].n > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  release();
  await other;
  const { results, path } = await batch;
  assertEquals(results.map((r) => r.error), ["insufficient_funds", "insufficient_funds"]);
  assertEquals(path, "sequential");
  assertEquals(
    [
      (await walletOf(alice.id)).balance,
      (await walletOf(bob.id)).balance,
      (await walletOf(carol.id)).balance,
    ],
    [0n, 100n, 0n],
  );
  await assertLedgerInvariants();
});

Deno.test("[ledger batch property] concurrent set-based batches and single transfers over shared wallets: no deadlock, nothing lost", async () => {
  const users: { id: string }[] = [];
  for (let i = 0; i < 12; i++) users.push(await createUser(`s${i}`));
  for (const u of users) await fund(u.id, 1_000_000n);
  const paths: string[] = [];
  const randomPair = () => {
    const a = Math.floor(Math.random() * users.length);
    return [users[a], users[(a + 1 + Math.floor(Math.random() * (users.length - 1))) % users.length]];
  };
  const batches = Array.from({ length: 6 }, () =>
    asService(async (tx) => {
      const results = await postBatch(
        tx,
        Array.from({ length: 300 }, () => {
          const [from, to] = randomPair();
          return {
            from: from.id,
            to: to.id,
            amount: BigInt(1 + Math.floor(Math.random() * 100)),
            idempotencyKey: key(),
          };
        }),
      );
      const { rows: [{ path }] } = await sql<{ path: string }>`
        select current_setting('ledger.batch_path', true) as path`.execute(tx);
      paths.push(path);
      return results;
    }));
  const singles = Array.from({ length: 3 }, async () => {
    for (let i = 0; i < 40; i++) {
      const [from, to] = randomPair();
      await asService((tx) =>
        postTransfer(tx, { fromUserId: from.id, toUserId: to.id, amount: 7n, idempotencyKey: key() })
      );
    }
  });
  const [results] = await Promise.all([Promise.all(batches), Promise.all(singles)]);
  assertEquals(results.flat().filter((r) => r.created).length, 6 * 300);
  assertEquals(paths, Array(6).fill("set"));
  let total = 0n;
  for (const u of users) total += (await walletOf(u.id)).balance;
  assertEquals(total, 12n * 1_000_000n);
  await assertLedgerInvariants();
});
