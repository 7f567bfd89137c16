import { assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asUser, createUser, db } from "../_support/db.ts";
import { fund, key, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { openDatabase } from "../../lib/db/client.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";

const url = Deno.env.get("DATABASE_URL")!;

/** A pool big enough for real contention; closed after `fn`. */
async function withPool<T>(fn: (pool: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const pool = openDatabase(url, { max: 40 });
  try {
    return await fn(pool);
  } finally {
    await pool.destroy();
  }
}

async function transactionsWithKey(idempotencyKey: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ledger.transactions
    where idempotency_key = ${idempotencyKey}`.execute(db());
  return rows[0].n;
}

Deno.test("[ledger concurrency] 500 concurrent transfers from a wallet that can afford 200 — exactly 200 succeed", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 200n * 7n);
  const outcomes = await withPool((pool) =>
    Promise.allSettled(
      Array.from({ length: 500 }, () =>
        asUser(alice.claims, (tx) =>
          transfer(tx, { recipient: bob.email, amount: 7n, idempotencyKey: key() }), pool)),
    )
  );
  const succeeded = outcomes.filter((o) => o.status === "fulfilled").length;
  const refused =
    outcomes.filter((o) => o.status === "rejected" && walletErrors.is(o.reason, "insufficient_funds")).length;
  assertEquals([succeeded, refused], [200, 300]);
  assertEquals((await walletOf(alice.id)).balance, 0n);
  assertEquals((await walletOf(bob.id)).balance, 1_400n);
});

Deno.test("[ledger concurrency] 100 concurrent replays of one idempotency key make one transaction", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 1_000n);
  const idempotencyKey = key("replay");
  const results = await withPool((pool) =>
    Promise.all(
      Array.from({ length: 100 }, () =>
        asUser(alice.claims, (tx) =>
          transfer(tx, { recipient: bob.email, amount: 10n, idempotencyKey }), pool)),
    )
  );
  assertEquals(new Set(results.map((r) => r.transactionId)).size, 1);
  assertEquals(await transactionsWithKey(idempotencyKey), 1);
  assertEquals((await walletOf(alice.id)).balance, 990n);
});

Deno.test("[ledger concurrency] opposite transfer storms between two wallets never deadlock", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 10_000n);
  await fund(bob.id, 10_000n);
  const send = (from: typeof alice, to: typeof bob, pool: ReturnType<typeof openDatabase>) =>
    asUser(
      from.claims,
      (tx) => transfer(tx, { recipient: to.email, amount: 3n, idempotencyKey: key() }),
      pool,
    );
  const outcomes = await withPool((pool) =>
    Promise.allSettled(
      Array.from({ length: 400 }, (_, i) => i % 2 ? send(alice, bob, pool) : send(bob, alice, pool)),
    )
  );
  const failures = outcomes.flatMap((o) =>
    o.status === "rejected" ? [String(o.reason?.code ?? o.reason)] : []
  );
  assertEquals(failures, []);
  assertEquals([(await walletOf(alice.id)).balance, (await walletOf(bob.id)).balance], [10_000n, 10_000n]);
});

/** Polls until `check` is true (or fails after ~5 s). */
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The state and last statement of the server session a client opened with this application name. */
const backend = async (app: string) =>
  (await sql<{ state: string; query: string }>`select state, query from pg_stat_activity
    where application_name = ${app}`.execute(db())).rows[0];

Deno.test("[ledger concurrency] a transfer retried after a dropped connection posts once", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 1_000n);
  const idempotencyKey = key("retry");

  // 1. A client runs the transfer, then its process dies before COMMIT: the server rolls it back.
  const app = `crash-${crypto.randomUUID()}`;
  const client = new Deno.Command("psql", {
    args: [url.replace("?sslmode=disable", ""), "-X", "-q", "-v", "ON_ERROR_STOP=1"],
    env: { PGAPPNAME: app },
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const writer = client.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`begin;
    select set_config('request.jwt.claims', '${JSON.stringify(alice.claims)}', true);
    set local role authenticated;
    select ledger.transfer('${bob.email}', 250, '${idempotencyKey}');
  `));
  await eventually(async () => {
    const session = await backend(app);
    return session?.state === "idle in transaction" && session.query.includes("ledger.transfer");
  }, "the transfer to run");
  client.kill("SIGKILL");
  await client.status;
  await eventually(async () => await backend(app) === undefined, "the server to drop the session");
  assertEquals(await transactionsWithKey(idempotencyKey), 0);

  // 2. The retry posts; its reply is lost too, so the client retries once more: the same transaction.
  const retry = () =>
    asUser(alice.claims, (tx) => transfer(tx, { recipient: bob.email, amount: 250n, idempotencyKey }));
  const first = await retry();
  assertEquals(await retry(), first);
  assertEquals(await transactionsWithKey(idempotencyKey), 1);
  assertEquals((await walletOf(alice.id)).balance, 750n);
  assertEquals((await walletOf(bob.id)).balance, 250n);
});

Deno.test("[ledger concurrency] invariants — hold after the concurrency tests", async () => {
  await assertLedgerInvariants();
});
