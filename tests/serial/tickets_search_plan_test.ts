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
 * At 100k tickets, the store's searches (as an agent and as a customer, under RLS) run through the tsvector
 * and trigram indexes. auto_explain sends the plans of nested statements (inside tickets.search_ids) to this
 * connection as notices, so the test reads the plan Postgres really used.
 */
Deno.test("[tickets search] at 100k tickets the queue and customer searches use the full-text and trigram indexes", async () => {
  const agent = await createUser("plan-agent", { role: "agent" });
  const customer = await createUser("plan-customer");
  const plans: string[] = [];
  const connection = postgres(Deno.env.get("DATABASE_URL")!, {
    max: 1,
    onnotice: (notice) => plans.push(String(notice.message)),
  });
  const db = new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: connection }) });
  try {
    // One transaction, rolled back: the 100k generated tickets never reach the other tests.
    await db.transaction().execute(async (tx) => {
      assertEquals(await seedTickets(tx, 100_000), 100_000);
      const seeded = await sql<{ n: number }>`select count(*)::int as n from public.tickets`.execute(tx);
      assert(seeded.rows[0].n >= 100_000);
      await sql`load 'auto_explain'`.execute(tx);
      await sql`select set_config('auto_explain.log_min_duration', '0', true),
                       set_config('auto_explain.log_nested_statements', 'on', true),
                       set_config('auto_explain.log_level', 'notice', true),
                       set_config('client_min_messages', 'notice', true),
                       set_config('request.jwt.claims', ${JSON.stringify(agent.claims)}, true),
                       set_config('role', 'authenticated', true)`.execute(tx);

      const queue = await listQueue(tx, agent.id, { q: "شماره ۴۳۲۱۰" });
      assertEquals(queue.items.length, 1, "one seeded ticket has that number");

      await sql`select set_config('request.jwt.claims', ${JSON.stringify(customer.claims)}, true)`.execute(
        tx,
      );
      await openTicket(tx, { subject: "كيف پول", body: "شارژ نشد" });
      await openTicket(tx, { subject: "دیگر", body: "چیز دیگری" });
      const mine = await listCustomerTickets(tx, customer.id, { q: "كيف پول" });
      assertEquals(mine.items.map((t) => t.subject), ["كيف پول"]);
      await sql`select 1`.execute(tx);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the last notices arrive

      // The plans of the search inside tickets.search_ids: one for the agent's queue, one for the customer.
      const searches = plans.filter((plan) => plan.includes("search_tsv @@"));
      assert(searches.length >= 2, plans.join("\n---\n"));
      for (const plan of searches) {
        assert(/Bitmap Index Scan on tickets_search_tsv_idx/.test(plan), plan);
        assert(/Bitmap Index Scan on tickets_search_trgm_idx/.test(plan), plan);
        assert(!/Seq Scan on tickets/.test(plan), plan);
      }
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await db.destroy();
  }
});
