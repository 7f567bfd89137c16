import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { anonClaims, asService, asUser, createUser, db, type TestUser } from "../_support/db.ts";
import { fund, key, randomIban, rejectsWith, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { listEntries } from "../../lib/wallet/entries.ts";
import { postCredit } from "../../lib/wallet/postings.ts";

/** Each ledger table with a column to try updating. */
const LEDGER_TABLES = {
  accounts: "name",
  wallet_balances: "balance",
  transactions: "metadata",
  entries: "amount",
  holds: "reason",
  withdrawals: "review_note",
};

/** Two users who have paid each other and each asked for a withdrawal. */
async function activeUsers(): Promise<[TestUser, TestUser]> {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 5_000n);
  await fund(bob.id, 5_000n);
  await asUser(
    alice.claims,
    (tx) => transfer(tx, { recipient: bob.email, amount: 100n, idempotencyKey: key() }),
  );
  for (const user of [alice, bob]) {
    await asUser(
      user.claims,
      (tx) => requestWithdrawal(tx, { amount: 50n, iban: randomIban(), idempotencyKey: key() }),
    );
  }
  return [alice, bob];
}

/** What a user can see of each ledger table: owner ids, or account ids for tables keyed by account. */
async function visible(user: TestUser) {
  return await asUser(user.claims, async (tx) => {
    const seen: Record<string, string[]> = {};
    for (const table of ["accounts", "wallet_balances", "withdrawals"]) {
      const { rows } = await sql<{ id: string }>`select distinct user_id::text as id from ${
        sql.table(`ledger.${table}`)
      }`
        .execute(tx);
      seen[table] = rows.map((r) => r.id);
    }
    for (const table of ["entries", "holds"]) {
      const { rows } = await sql<{ id: string }>`select distinct account_id::text as id from ${
        sql.table(`ledger.${table}`)
      }`
        .execute(tx);
      seen[table] = rows.map((r) => r.id);
    }
    return seen;
  });
}

Deno.test("[ledger rls] owner — sees only their own accounts, balances, entries, holds and withdrawals", async () => {
  const [alice] = await activeUsers();
  const account = (await walletOf(alice.id)).accountId;
  assertEquals(await visible(alice), {
    accounts: [alice.id],
    wallet_balances: [alice.id],
    withdrawals: [alice.id],
    entries: [account],
    holds: [account],
  });
  // Transactions: only those Alice is a party to (her top-up, the transfer), never another user's.
  const kinds = await asUser(
    alice.claims,
    (tx) =>
      sql<{ kind: string }>`select kind::text from ledger.transactions order by id`.execute(tx).then((r) =>
        r.rows.map((x) => x.kind)
      ),
  );
  assertEquals(kinds, ["topup", "transfer"]);
});

Deno.test("[ledger rls] stranger — another user's wallet and statement are invisible", async () => {
  const [alice, bob] = await activeUsers();
  await rejectsWith(() => asUser(bob.claims, (tx) => walletSummary(tx, alice.id)), "wallet_not_found");
  const page = await asUser(bob.claims, (tx) => listEntries(tx, { userId: alice.id }));
  assertEquals(page.entries, []);
});

Deno.test("[ledger rls] staff — finance and admin read any wallet; an agent cannot", async () => {
  const [alice] = await activeUsers();
  for (const role of ["finance", "admin"] as const) {
    const staff = await createUser(role, { role });
    const wallet = await asUser(staff.claims, (tx) => walletSummary(tx, alice.id));
    assertEquals([wallet.balance, wallet.held], [4_900n, 50n]);
    const page = await asUser(staff.claims, (tx) => listEntries(tx, { userId: alice.id }));
    assertEquals(page.entries.map((e) => e.amount), [-100n, 5_000n]);
  }
  const agent = await createUser("agent", { role: "agent" });
  await rejectsWith(() => asUser(agent.claims, (tx) => walletSummary(tx, alice.id)), "wallet_not_found");
});

Deno.test("[ledger rls] owner — cannot write any ledger table directly", async () => {
  const [alice] = await activeUsers();
  for (const [table, column] of Object.entries(LEDGER_TABLES)) {
    const target = sql.table(`ledger.${table}`);
    const col = sql.ref(column);
    for (
      const statement of [
        sql`insert into ${target} default values`,
        sql`update ${target} set ${col} = ${col}`,
        sql`delete from ${target}`,
      ]
    ) {
      await assertRejects(() => asUser(alice.claims, (tx) => statement.execute(tx)), "permission denied");
    }
  }
  await rejectsWith(
    () =>
      asUser(
        alice.claims,
        (tx) => postCredit(tx, { userId: alice.id, amount: 1_000_000n, idempotencyKey: key() }),
      ),
    "not_permitted",
  );
});

Deno.test("[ledger rls] everyone — entries and transactions cannot be changed, not even by the table owner", async () => {
  const [alice] = await activeUsers();
  const { rows } = await sql<{ id: string }>`select e.transaction_id::text as id from ledger.entries e
    join ledger.accounts a on a.id = e.account_id where a.user_id = ${alice.id}::uuid limit 1`.execute(db());
  const id = rows[0].id;
  await assertRejects(
    () =>
      asService((tx) =>
        sql`update ledger.entries set amount = amount * 2 where transaction_id = ${id}::bigint`.execute(tx)
      ),
    "permission denied",
  );
  for (
    const statement of [
      sql`update ledger.entries set amount = amount * 2 where transaction_id = ${id}::bigint`,
      sql`delete from ledger.entries where transaction_id = ${id}::bigint`,
      sql`truncate ledger.entries cascade`,
      sql`update ledger.transactions set metadata = '{}' where id = ${id}::bigint`,
      sql`delete from ledger.transactions where id = ${id}::bigint`,
    ]
  ) {
    await assertRejects(() => statement.execute(db()), "immutable");
  }
});

Deno.test("[ledger rls] anonymous — can read nothing in the ledger", async () => {
  await assertRejects(
    () => asUser(anonClaims, (tx) => sql`select * from ledger.wallet_balances`.execute(tx)),
    "permission denied",
  );
});

Deno.test("[analytics] analyst — reads the analytics views and nothing else", async () => {
  await activeUsers();
  await db().transaction().execute(async (tx) => {
    await sql`set local role analyst`.execute(tx);
    const daily = await sql<{ kind: string; transactions: string }>`select kind::text, transactions::text
      from analytics.ledger_daily_totals`.execute(tx);
    assert(daily.rows.some((r) => r.kind === "transfer" && Number(r.transactions) >= 1));
    const wallets = await sql<{ n: string }>`select count(*)::text as n from analytics.wallet_balances`
      .execute(tx);
    assert(Number(wallets.rows[0].n) >= 2);
    const pipeline = await sql<{ status: string }>`select status::text from analytics.withdrawals_pipeline`
      .execute(tx);
    assert(pipeline.rows.some((r) => r.status === "pending"));
    const system = await sql<{ code: string }>`select code from analytics.system_account_balances`.execute(
      tx,
    );
    assert(system.rows.some((r) => r.code === "gateway_clearing"));
  });
  for (
    const query of [
      sql`select * from ledger.entries`,
      sql`select * from public.profiles`,
      sql`select * from auth.users`,
    ]
  ) {
    await assertRejects(
      () =>
        db().transaction().execute(async (tx) => {
          await sql`set local role analyst`.execute(tx);
          await query.execute(tx);
        }),
      "permission denied",
    );
  }
  for (const role of ["authenticated", "anon", "service_role"]) {
    await assertRejects(
      () =>
        db().transaction().execute(async (tx) => {
          await sql`select set_config('role', ${role}, true)`.execute(tx);
          await sql`select * from analytics.wallet_balances`.execute(tx);
        }),
      "permission denied",
    );
  }
});

Deno.test("[ledger rls] invariants — hold after the RLS tests", async () => {
  await assertLedgerInvariants();
});
