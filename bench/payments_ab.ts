/**
 * A/B of the top-up path's SQL in one process and one cluster: `deno run -A bench/payments_ab.ts a.sql b.sql`
 * migrates a throwaway cluster, then for BENCH_ROUNDS rounds runs the bench's top-up loop (16 payers, the
 * sandbox, bench/payments.ts) once with each variant's SQL applied first (a.sql, b.sql: e.g. a function's
 * old and new definition), taking turns at going first, and ledger.post_transfer from 8 clients once per
 * round. Prints per variant and round: top-ups/s, CPU per top-up (Postgres's process tree and this process,
 * from /proc), the bench's ratio against the round's transfers, the load; then B / A per round and medians.
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { closedLoop, PAYERS, paymentsSetup, seedUsers, transfersSetup } from "./payments.ts";
import { cpuModel, loadAverage, PROFILE_SETTINGS, trackingOff } from "./profile.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 6);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 4);
const [fileA, fileB] = Deno.args;
if (!fileA || !fileB) throw new Error("usage: payments_ab.ts a.sql b.sql");
const variants = { A: await Deno.readTextFile(fileA), B: await Deno.readTextFile(fileB) };

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-payments-ab-" });
const cluster = await startCluster({ dir, ephemeral: true, pgCron: false, settings: PROFILE_SETTINGS });
try {
  await migrate(cluster.url);
  await trackingOff(cluster.url);
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await seedUsers(admin, PAYERS);
  console.log(
    `payments A/B: A=${fileA} B=${fileB}; ${ROUNDS} rounds of ${SECONDS} s each; CPU: ${cpuModel()}`,
  );
  const payments = await paymentsSetup(cluster.url);
  const transfers = transfersSetup(cluster.url);
  await transfers.seed();
  // Warm-up (not measured): connections, the JIT, caches; the first measured round would otherwise pay it.
  await closedLoop(cluster.dir, PAYERS, 2, payments.topUp);
  const rows: Record<"A" | "B", { rate: number; pg: number; app: number; ratio: number }[]> = {
    A: [],
    B: [],
  };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const order: ("A" | "B")[] = round % 2 ? ["A", "B"] : ["B", "A"];
      const results: Partial<Record<"A" | "B", Awaited<ReturnType<typeof closedLoop>>>> = {};
      for (const v of order) {
        await admin.unsafe(variants[v]);
        // DDL invalidates the cached plans that depend on what it changed: the next calls plan again.
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
  }
  const m = (v: "A" | "B", k: "rate" | "pg" | "app" | "ratio") => median(rows[v].map((r) => r[k]));
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
  const [check] = await admin`select (select count(*)::int from ledger.check_invariants()) as problems,
    (select count(*)::int from public.payments where status <> 'verified') as unsettled`;
  console.log(`  invariant problems ${check.problems}, unsettled payments ${check.unsettled}`);
  await admin.end();
} finally {
  await cluster.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
