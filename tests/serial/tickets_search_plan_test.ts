import { assert, assertEquals } from "@std/assert";
import { Kysely, sql } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { createUser } from "../_support/db.ts";
import { seedTickets } from "../../local/seed_tickets.ts";
import type { DB } from "../../lib/db/types.ts";
import { listCustomerTickets, listQueue, openTicket } from "../../lib/tickets/store.ts";

class Rollback extends Error {}

/**
 * Rows of public.tickets the plans read: every scan node on the table (rows × loops it returned, plus the rows
 * its filter or recheck removed). Index nodes (`on tickets_…_idx`) are not the table.
 */
function ticketRowsRead(plans: string[]): number {
  let total = 0;
  for (const plan of plans) {
    let inTicketScan = false;
    for (const line of plan.split("\n")) {
      const node = line.match(/->|^\S/) &&
        line.match(/\(actual(?: time=[\d.]+\.\.[\d.]+)? rows=(\d+) loops=(\d+)\)/);
      if (node) {
        inTicketScan = /Scan(?: Backward)?(?: using \S+)? on tickets\b(?!_)/.test(line);
        if (inTicketScan) total += Number(node[1]) * Number(node[2]);
        continue;
      }
      const removed = line.match(/Rows Removed by (?:Filter|Index Recheck): (\d+)/);
      if (inTicketScan && removed) total += Number(removed[1]);
    }
  }
  return total;
}

/**
 * At 100k tickets, the store's searches (as an agent and as a customer, under RLS) read a few hundred ticket
 * rows, not every match: the newest tickets first (stopping at a page's worth of matches), the full-text and
 * trigram indexes for a rare term, and the page's rows by primary key. auto_explain (with ANALYZE) sends the
 * plans of every statement, nested ones inside tickets.search_ids included, to this connection as notices,
 * so the test reads the plans Postgres really used and the rows they really read.
 */
Deno.test("[tickets search] at 100k tickets a search reads a bounded number of tickets, through the indexes when the term is rare", async () => {
  const agent = await createUser("plan-agent", { role: "agent" });
  const customer = await createUser("plan-customer");
  const plans: string[] = [];
  const connection = postgres(Deno.env.get("DATABASE_URL")!, {
    max: 1,
    onnotice: (notice) => plans.push(String(notice.message)),
  });
  const db = new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: connection }) });
  /** The plans `run` makes (and `run`'s answer), after the notices have arrived. */
  async function planned<T>(tx: Kysely<DB>, run: () => Promise<T>): Promise<{ result: T; plans: string[] }> {
    const from = plans.length;
    const result = await run();
    await sql`select 1`.execute(tx);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the last notices arrive
    return { result, plans: plans.slice(from) };
  }
  try {
    // One transaction, rolled back: the 100k generated tickets never reach the other tests.
    await db.transaction().execute(async (tx) => {
      assertEquals(await seedTickets(tx, 100_000), 100_000);
      const seeded = await sql<{ n: number }>`select count(*)::int as n from public.tickets`.execute(tx);
      assert(seeded.rows[0].n >= 100_000);
      await sql`load 'auto_explain'`.execute(tx);
      await sql`select set_config('auto_explain.log_min_duration', '0', true),
                       set_config('auto_explain.log_nested_statements', 'on', true),
                       set_config('auto_explain.log_analyze', 'on', true),
                       set_config('auto_explain.log_timing', 'off', true),
                       set_config('auto_explain.log_level', 'notice', true),
                       set_config('client_min_messages', 'notice', true),
                       set_config('request.jwt.claims', ${JSON.stringify(agent.claims)}, true),
                       set_config('role', 'authenticated', true)`.execute(tx);

      // A rare term (one ticket's number): the newest tickets hold no match, so the indexes find it.
      const rare = await planned(tx, () => listQueue(tx, agent.id, { q: "شماره ۴۳۲۱۰" }));
      assertEquals(rare.result.items.length, 1, "one seeded ticket has that number");
      const indexed = rare.plans.filter((plan) => plan.includes("search_tsv @@") && plan.includes("Bitmap"));
      assert(indexed.length >= 1, rare.plans.join("\n---\n"));
      for (const plan of indexed) {
        assert(/Bitmap Index Scan on tickets_search_tsv_idx/.test(plan), plan);
        assert(/Bitmap Index Scan on tickets_search_trgm_idx/.test(plan), plan);
      }
      // A common word (in about one ticket in eight) and a phrase typed with Arabic letters: a full first page.
      const common = await planned(tx, () => listQueue(tx, agent.id, { q: "پرداخت" }));
      assertEquals(common.result.items.length, 20);
      assert(common.result.nextCursor);
      const arabic = await planned(tx, () => listQueue(tx, agent.id, { q: "كيف پول" }));
      assertEquals(arabic.result.items.length, 20);
      const next = await planned(
        tx,
        () => listQueue(tx, agent.id, { q: "پرداخت", cursor: common.result.nextCursor! }),
      );
      assertEquals(next.result.items.length, 20);
      assert(Number(next.result.items[0].id) < Number(common.result.items[19].id), "the next page is older");

      for (const [name, search] of Object.entries({ rare, common, arabic, next })) {
        assert(
          !search.plans.some((plan) => /Seq Scan on tickets\b/.test(plan)),
          search.plans.join("\n---\n"),
        );
        const read = ticketRowsRead(search.plans);
        assert(read > 0, `${name}: the plans name the tickets they read`);
        assert(read <= 5_000, `${name}: read ${read} of 100,000 tickets\n${search.plans.join("\n---\n")}`);
      }

      await sql`select set_config('request.jwt.claims', ${JSON.stringify(customer.claims)}, true)`.execute(
        tx,
      );
      await openTicket(tx, { subject: "كيف پول", body: "شارژ نشد" });
      await openTicket(tx, { subject: "دیگر", body: "چیز دیگری" });
      const mine = await planned(tx, () => listCustomerTickets(tx, customer.id, { q: "كيف پول" }));
      assertEquals(mine.result.items.map((t) => t.subject), ["كيف پول"]);
      assert(!mine.plans.some((plan) => /Seq Scan on tickets\b/.test(plan)), mine.plans.join("\n---\n"));
      assert(ticketRowsRead(mine.plans) <= 50, mine.plans.join("\n---\n"));
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await db.destroy();
  }
});
