/**
 * A/B of the top-up path's SQL in one process and one cluster: `deno run -A bench/payments_ab.ts a.sql b.sql`
 * migrates a throwaway cluster, then for BENCH_ROUNDS rounds runs the bench's top-up loop (16 payers, the
 * sandbox, bench/payments.ts) once with each variant's SQL applied first (a.sql, b.sql: e.g. a function's
 * old and new definition, or an index dropped and created), taking turns at going first, and
 * ledger.post_transfer from 8 clients once per round. Prints per variant and round: top-ups/s, CPU per top-up
 * (Postgres's process tree and this process, from /proc), the bench's ratio against the round's transfers,
 * the load; then B / A per round and medians.
 */
import postgres from "postgres";
import {
  checks,
  closedLoop,
  PAYERS,
  paymentsSetup,
  transfersSetup,
  withPaymentsCluster,
} from "./payments.ts";
import { cpuModel, loadAverage, median } from "./profile.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 6);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 4);
const [fileA, fileB] = Deno.args;
if (!fileA || !fileB) throw new Error("usage: payments_ab.ts a.sql b.sql");
const variants = { A: await Deno.readTextFile(fileA), B: await Deno.readTextFile(fileB) };
type Variant = keyof typeof variants;
type Row = { rate: number; pg: number; app: number; ratio: number };

await withPaymentsCluster("pishkhan-bench-payments-ab-", async (cluster) => {
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  console.log(
    `payments A/B: A=${fileA} B=${fileB}; ${ROUNDS} rounds of ${SECONDS} s each; CPU: ${cpuModel()}`,
  );
  const payments = await paymentsSetup(cluster.url);
  const transfers = transfersSetup(cluster.url);
  const rows: Record<Variant, Row[]> = { A: [], B: [] };
  try {
    await transfers.seed();
    // Warm-up (not measured): connections, the JIT, caches; the first measured round would otherwise pay it.
    await closedLoop(cluster.dir, PAYERS, 2, payments.topUp);
    for (let round = 1; round <= ROUNDS; round++) {
      const order: Variant[] = round % 2 ? ["A", "B"] : ["B", "A"];
      const results: Partial<Record<Variant, Awaited<ReturnType<typeof closedLoop>>>> = {};
      for (const v of order) {
        // DDL invalidates the cached plans that depend on what it changed: the next calls plan again.
        await admin.unsafe(variants[v]);
        results[v] = await closedLoop(cluster.dir, PAYERS, SECONDS, payments.topUp);
      }
      const base = await closedLoop(cluster.dir, 8, Math.max(2, SECONDS / 2), transfers.transfer);
      for (const v of ["A", "B"] as const) {
        const r = results[v]!;
        rows[v].push({
          rate: r.perSecond,
          pg: r.serverCpuMs,
          app: r.appCpuMs,
          ratio: r.perSecond / base.perSecond,
        });
        console.log(
          `  round ${round} ${v}: ${r.perSecond.toFixed(0)} top-ups/s, CPU/top-up Postgres ${
            r.serverCpuMs.toFixed(2)
          } ms, this process ${r.appCpuMs.toFixed(2)} ms, ratio ${
            (r.perSecond / base.perSecond).toFixed(3)
          }, ` +
            `${r.errors} errors (load ${r.load})`,
        );
      }
      console.log(
        `  round ${round}: transfers ${base.perSecond.toFixed(0)}/s (Postgres ${
          base.serverCpuMs.toFixed(2)
        } ms); ` +
          `B/A top-ups ${
            (results.B!.perSecond / results.A!.perSecond).toFixed(2)
          }x, Postgres CPU per top-up ` +
          `${(results.B!.serverCpuMs - results.A!.serverCpuMs).toFixed(3)} ms (B - A)`,
      );
    }
  } finally {
    await payments.close();
    await transfers.close();
    await admin.end();
  }
  const m = (v: Variant, k: keyof Row) => median(rows[v].map((r) => r[k]));
  for (const v of ["A", "B"] as const) {
    console.log(
      `  median ${v}: ${m(v, "rate").toFixed(0)} top-ups/s, Postgres ${
        m(v, "pg").toFixed(3)
      } ms, this process ${m(v, "app").toFixed(3)} ms per top-up, ratio ${m(v, "ratio").toFixed(3)}`,
    );
  }
  console.log(
    `  median B/A per round: top-ups ${median(rows.B.map((b, i) => b.rate / rows.A[i].rate)).toFixed(2)}x, ` +
      `Postgres CPU ${
        median(rows.B.map((b, i) => b.pg - rows.A[i].pg)).toFixed(3)
      } ms; load ${loadAverage()}`,
  );
  const state = await checks(cluster.url);
  console.log(
    `  verified payments ${state.verified}, ledger credits ${state.credits}, other payments ${state.unsettled}, ` +
      `invariant problems ${state.problems}`,
  );
  if (state.problems || state.verified !== state.credits || state.unsettled) Deno.exitCode = 1;
});
