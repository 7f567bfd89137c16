/**
 * supabase/seed.sql on a fresh database, in the order `deno task start` runs it: migrations (seed.sql may run
 * here too, as `db:migrate` does, before any account exists), then the seeded accounts through the Auth
 * emulator and seed.sql again (local/seed_accounts.ts `seedDemo`). The demo help desk and the demo wallet
 * appear for the seeded accounts; a second start adds nothing.
 */
import { assert, assertEquals } from "@std/assert";
import postgres from "postgres";
import { startCluster } from "../../local/postgres.ts";
import { applySeed, migrate } from "../../local/migrate.ts";
import { serveAuthEmulator } from "../../local/auth/testing.ts";
import { seedDemo } from "../../local/seed_accounts.ts";

Deno.test("[seed] a fresh database gets the demo help desk and wallet for the seeded accounts, quickly and once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-seed-" });
  const cluster = await startCluster({ dir, ephemeral: true, pgCron: false });
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  try {
    await migrate(cluster.url, { seed: true });
    assertEquals(
      (await sql`select count(*)::int as n from public.tickets`)[0].n,
      0,
      "no accounts yet: no tickets",
    );

    const emu = await serveAuthEmulator({}, cluster.url);
    try {
      const stack = { gatewayUrl: emu.url, keys: emu.keys, env: { DATABASE_URL: cluster.url } };
      await seedDemo(stack);

      const [customer] = await sql<
        { id: string }[]
      >`select id from auth.users where email = 'user@pishkhan.local'`;
      const [agent] = await sql<
        { id: string }[]
      >`select id from auth.users where email = 'agent@pishkhan.local'`;
      const tickets = await sql<
        { id: string; subject: string; status: string; assignee_id: string | null; created_at: Date }[]
      >`select id::text, subject, status::text, assignee_id, created_at from public.tickets
        where customer_id = ${customer.id} order by id`;
      assert(tickets.length >= 4 && tickets.length <= 10, `a few tickets, not ${tickets.length}`);
      const statuses = new Set(tickets.map((t) => t.status));
      for (const status of ["open", "pending", "resolved", "closed"]) assert(statuses.has(status), status);
      assert(tickets.some((t) => /[\u0600-\u06FF]/.test(t.subject)), "a ticket in Persian");
      assert(tickets.some((t) => /^[A-Za-z]/.test(t.subject)), "a ticket in English");
      assert(tickets.some((t) => t.assignee_id === agent.id), "the agent works some of them");
      const days = tickets.map((t) => t.created_at.getTime());
      assert(Math.max(...days) - Math.min(...days) > 24 * 3600_000, "opened over several days");

      const messages = await sql<{ author_id: string; internal: boolean }[]>`
        select author_id, internal from public.ticket_messages m join public.tickets t on t.id = m.ticket_id
        where t.customer_id = ${customer.id}`;
      assert(messages.some((m) => m.author_id === agent.id && !m.internal), "an agent reply");
      assert(messages.some((m) => m.author_id === agent.id && m.internal), "an internal note");

      // Through the product's own rules: the customer reads the replies but not the note (RLS), finds a
      // ticket typed with Arabic letters (the search column was filled), and the agent takes round-robin turns.
      const asCustomer = await sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${
          JSON.stringify({ sub: customer.id, role: "authenticated" })
        }, true),
                        set_config('role', 'authenticated', true)`;
        const [seen] = await tx<{ internal: number; found: number }[]>`
          select (select count(*)::int from public.ticket_messages where internal) as internal,
                 (select count(*)::int from tickets.search('كيف پول شارژ')) as found`;
        return seen;
      });
      assertEquals(asCustomer, { internal: 0, found: 1 });
      const [{ departments }] = await sql<{ departments: number }[]>`
        select count(*)::int as departments from public.ticket_agent_departments where user_id = ${agent.id}`;
      assert(departments >= 3, "the agent works every department");

      // The demo wallet: two top-ups settled through payments.settle (and one cancelled at the gateway), a
      // transfer each way with a note, a withdrawal waiting with its amount held — and a ledger that adds up.
      const [wallet] = await sql<{ balance: string; held: string }[]>`
        select balance::text, held::text from ledger.wallet_balances where user_id = ${customer.id}`;
      assertEquals(wallet, { balance: String(5_000_000 + 2_000_000 - 350_000 + 450_000), held: "1500000" });
      const payments = await sql<{ status: string; credited: boolean }[]>`
        select status::text, ledger_transaction_id is not null as credited from public.payments
        where user_id = ${customer.id} order by id`;
      assertEquals([...payments], [
        { status: "verified", credited: true },
        { status: "verified", credited: true },
        { status: "cancelled", credited: false },
      ]);
      const notes = await sql<{ note: string; amount: string }[]>`
        select t.metadata ->> 'note' as note, e.amount::text from ledger.entries e
        join ledger.transactions t on t.id = e.transaction_id
        join ledger.accounts a on a.id = e.account_id
        where a.user_id = ${customer.id} and t.kind = 'transfer' order by t.id`;
      const [named] = await sql<{ full_name: string }[]>`
        select full_name from public.profiles where id = ${agent.id}`;
      assertEquals(named.full_name, "رضا احمدی", "the seeded accounts have names");
      assertEquals([...notes], [
        { note: "سهم ناهار", amount: "-350000" },
        { note: "Cinema tickets, paid back", amount: "450000" },
      ]);
      const [withdrawal] = await sql<{ status: string; amount: string }[]>`
        select w.status::text, w.amount::text from ledger.withdrawals w
        join ledger.accounts a on a.id = w.account_id where a.user_id = ${customer.id}`;
      assertEquals(withdrawal, { status: "pending", amount: "1500000" });
      assertEquals([...await sql`select * from ledger.check_invariants()`], [], "the demo ledger adds up");

      const counts = () =>
        sql<
          { n: number }[]
        >`select (select count(*) from public.tickets) + (select count(*) from public.ticket_messages)
          + (select count(*) from public.ticket_events) + (select count(*) from public.ticket_canned_responses)
          + (select count(*) from public.ticket_agent_departments) + (select count(*) from public.payments)
          + (select count(*) from ledger.transactions) + (select count(*) from ledger.withdrawals) as n`;
      const before = (await counts())[0].n;
      await seedDemo(stack);
      const started = performance.now();
      await applySeed(cluster.url);
      const rerunMs = performance.now() - started;
      assertEquals((await counts())[0].n, before, "a second start adds nothing");
      assert(rerunMs < 2_000, `seed.sql took ${rerunMs.toFixed(0)} ms`);
    } finally {
      await emu.stop();
    }
  } finally {
    await sql.end({ timeout: 2 });
    await cluster.destroy();
  }
});
