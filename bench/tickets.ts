/**
 * Tickets benchmark: the staff queue's first page and its searches at 100,000 tickets, as an agent (tickets.manage)
 * through the app's own data path (lib/tickets/store.ts `listQueue` inside `asUser`, so RLS and the claims are
 * what a request sees), on one throwaway cluster. The tickets come from local/seed_tickets.ts in a transaction
 * that commits (the cluster is dropped afterwards). Cases: the first queue page with no filter, 'mine' and
 * 'at_risk'; searches for a rare term (one ticket's number), a common word, and a Persian phrase typed with
 * Arabic letters (ك, ي), which the search folds. The cases take turns (the machine is shared and noisy), RUNS
 * timed runs each after WARMUP untimed ones, one at a time through a pool of 4 connections. The baseline, in
 * the same turns and through the same pool and asUser transaction: a primary-key lookup of one ticket. Prints
 * p50/p95/p99 ms, the p95 ratio to the baseline's, PASS/FAIL against the target p95 < 50 ms, and the machine's
 * load average at the start and the end (how busy the shared machine was while it measured).
 * `deno task bench:tickets` (also part of `deno task bench`).
 */
import postgres from "postgres";
import { Kysely, sql } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { seedTickets } from "../local/seed_tickets.ts";
import { asUser, type Claims, type Database, openDatabase, type Tx } from "../lib/db/client.ts";
import { listQueue } from "../lib/tickets/store.ts";
import type { DB } from "../lib/db/types.ts";

const TICKETS = Number(Deno.env.get("BENCH_TICKETS") ?? 100_000);
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 200);
const WARMUP = Number(Deno.env.get("BENCH_WARMUP") ?? 20);
const AGENTS = 4;
const TARGET_P95_MS = 50;

export interface TicketsBenchCase {
  name: string;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** p95 over the baseline's p95. */
  ratio: number;
  pass: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;

/** Agents (user_roles 'agent', hence tickets.manage) made before the seed, so it assigns them tickets. */
async function createAgents(url: string): Promise<{ id: string; claims: Claims }[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const agents = [];
    for (let n = 1; n <= AGENTS; n++) {
      const id = crypto.randomUUID();
      const email = `bench-agent-${n}@tickets.bench.local`;
      await sql`insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
                  raw_user_meta_data, created_at, updated_at)
                values (${id}, 'authenticated', 'authenticated', ${email}, now(),
                  '{"provider":"email","providers":["email"]}', ${
        JSON.stringify({ full_name: `Agent ${n}` })
      }::text::jsonb,
                  now(), now())`;
      await sql`insert into public.user_roles (user_id, role) values (${id}, 'agent')`;
      agents.push({
        id,
        claims: { sub: id, role: "authenticated", aud: "authenticated", email, user_role: "agent" },
      });
    }
    return agents;
  } finally {
    await sql.end();
  }
}

/** Seeds TICKETS tickets in a transaction that commits, then vacuums and analyzes. */
async function seed(url: string): Promise<number> {
  const db = new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: postgres(url, { max: 1 }) }) });
  try {
    const inserted = await db.transaction().execute((tx) => seedTickets(tx, TICKETS));
    await sql`vacuum analyze`.execute(db);
    await sql`checkpoint`.execute(db);
    return inserted;
  } finally {
    await db.destroy();
  }
}

/** The whole benchmark; returns the cases (baseline first). */
export async function runTicketsBench(): Promise<TicketsBenchCase[]> {
  const started = performance.now();
  const loadAtStart = Deno.loadavg();
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-tickets-" });
  const cluster = await startCluster({ dir, ephemeral: true, pgCron: false });
  let database: Database | undefined;
  try {
    await migrate(cluster.url);
    const [agent] = await createAgents(cluster.url);
    const seedStarted = performance.now();
    const inserted = await seed(cluster.url);
    const seedMs = performance.now() - seedStarted;
    database = openDatabase(cluster.url, { max: 4 });
    const pool = database;
    const as = <T>(fn: (tx: Tx) => Promise<T>) => asUser(agent.claims, fn, pool);

    // The baseline's ticket, and checks that each case finds what it should (a bench of empty pages says nothing).
    const { id: someId } = await pool.selectFrom("tickets").select("id").orderBy("id").offset(
      Math.floor(TICKETS / 2),
    )
      .limit(1).executeTakeFirstOrThrow();
    const rareNumber = String(Math.min(43210, TICKETS)).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
    const cases: [string, () => Promise<number>][] = [
      ["baseline: one ticket by primary key", async () => {
        const row = await as((tx) =>
          tx.selectFrom("tickets").select(["id", "subject"]).where("id", "=", someId).executeTakeFirst()
        );
        return row ? 1 : 0;
      }],
      ["queue, first page (all)", async () => (await as((tx) => listQueue(tx, agent.id))).items.length],
      [
        "queue, first page (mine)",
        async () => (await as((tx) => listQueue(tx, agent.id, { filter: "mine" }))).items.length,
      ],
      [
        "queue, first page (at_risk)",
        async () => (await as((tx) => listQueue(tx, agent.id, { filter: "at_risk" }))).items.length,
      ],
      [
        `search, rare term ("شماره ${rareNumber}")`,
        async () => (await as((tx) => listQueue(tx, agent.id, { q: `شماره ${rareNumber}` }))).items.length,
      ],
      [
        'search, common term ("پرداخت")',
        async () => (await as((tx) => listQueue(tx, agent.id, { q: "پرداخت" }))).items.length,
      ],
      [
        'search, Arabic letters ("كيف پول")',
        async () => (await as((tx) => listQueue(tx, agent.id, { q: "كيف پول" }))).items.length,
      ],
    ];

    for (const [name, run] of cases) {
      const found = await run();
      if (found < 1) {
        throw new Error(`tickets bench: "${name}" found nothing; the bench would measure nothing`);
      }
    }
    for (let i = 0; i < WARMUP; i++) for (const [, run] of cases) await run();

    const timings: number[][] = cases.map(() => []);
    for (let i = 0; i < RUNS; i++) {
      for (const [index, [, run]] of cases.entries()) {
        const t0 = performance.now();
        await run();
        timings[index].push(performance.now() - t0);
      }
    }

    console.log(
      `tickets bench: ${inserted} tickets seeded in ${
        (seedMs / 1000).toFixed(1)
      } s; ${RUNS} runs per case after ` +
        `${WARMUP} warm-up, cases in turns, one agent through a pool of 4 (asUser + RLS)`,
    );
    const sorted = timings.map((t) => t.toSorted((a, b) => a - b));
    const baselineP95 = percentile(sorted[0], 0.95);
    const results: TicketsBenchCase[] = cases.map(([name], index) => {
      const p95Ms = percentile(sorted[index], 0.95);
      return {
        name,
        p50Ms: percentile(sorted[index], 0.5),
        p95Ms,
        p99Ms: percentile(sorted[index], 0.99),
        ratio: p95Ms / baselineP95,
        pass: p95Ms < TARGET_P95_MS,
      };
    });
    for (const [index, r] of results.entries()) {
      const verdict = index === 0 ? "" : `   ${r.pass ? "PASS" : "FAIL"} (p95 < ${TARGET_P95_MS} ms)`;
      console.log(
        `  ${r.name.padEnd(44)} p50 ${r.p50Ms.toFixed(2).padStart(6)} ms   p95 ${
          r.p95Ms.toFixed(2).padStart(6)
        } ms   ` +
          `p99 ${r.p99Ms.toFixed(2).padStart(6)} ms   ${r.ratio.toFixed(1).padStart(5)}x baseline${verdict}`,
      );
    }
    const failed = results.slice(1).filter((r) => !r.pass).length;
    console.log(
      `  ${failed ? `${failed} case(s) FAIL` : "all cases PASS"} the target p95 < ${TARGET_P95_MS} ms`,
    );
    console.log(`  total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(
      `  machine load (1/5/15 min) at the start ${loadAtStart.map((l) => l.toFixed(2)).join(" ")}, ` +
        `at the end ${
          Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
        }, on ${navigator.hardwareConcurrency} cores`,
    );
    return results;
  } finally {
    await database?.destroy();
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const results = await runTicketsBench();
  if (results.slice(1).some((r) => !r.pass)) Deno.exitCode = 1;
}
