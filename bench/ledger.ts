/**
 * Ledger benchmark on one throwaway cluster: pgbench's TPC-B-like workload (the baseline), then the ledger's
 * transfer function driven by the same client (pgbench custom scripts) on 10,000 funded wallets with uniform
 * random pairs, then with every payment going to one merchant (a system account, which keeps no balance row),
 * and uniform pairs again with every wallet watched (each posting then also appends its wallets' new rows to
 * the live feeds' change log, ledger.wallet_changes). The workloads take turns for ROUNDS rounds (the machine is shared and
 * noisy), each run from the same quiet state (the previous run's rows vacuumed, a checkpoint); the ratios are
 * the medians of the rounds'. Prints transfers/s, p50/p99 and the ratios against the targets.
 * `deno task bench:ledger`.
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { findPgBin } from "../local/pg_bin.ts";
import {
  cpuModel,
  loadAverage,
  median,
  middleIndex,
  printProfile,
  PROFILE_SETTINGS,
  profiled,
  quiesceCluster,
  serverChildren,
  serverCpuMs,
  trackingOff,
} from "./profile.ts";

const WALLETS = 10_000;
const CLIENTS = 8;
const THREADS = 2;
const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 10);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const SAMPLING = 0.2;

export interface BenchRun {
  name: string;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  /** Server CPU milliseconds (all Postgres processes) per transaction. */
  cpuMs: number;
}

/** User ids the bench derives from 1..WALLETS, so scripts can name a wallet without a lookup table. */
const userId = (n: string) => `('00000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;

const TRANSFER_SCRIPT = `\\set a random(1, ${WALLETS})
\\set b random(1, ${WALLETS - 1})
\\set amount random(1, 1000)
select ledger.post_transfer(${userId(":a")}, ${
  userId(":b + (:b >= :a)::int")
}, :amount, gen_random_uuid()::text);
`;

/** The tables the workloads write (pgbench's and the ledger's), vacuumed before every run. */
const QUIESCED_TABLES = [
  "pgbench_accounts",
  "pgbench_branches",
  "pgbench_tellers",
  "pgbench_history",
  "ledger.transactions",
  "ledger.entries",
  "ledger.wallet_balances",
  "ledger.wallet_changes",
  "ledger.wallet_watchers",
  "notifications.ledger_events",
];

/** Transfers per batch statement in the batch workload (ledger.post_batch's most). */
const BATCH = 1000;
/**
 * Clients sending batches: as many as send single transfers, so that both workloads ask the (shared) CPU
 * for the same share. The batches are the same kind of transfers as the single ones (uniform random pairs
 * of the same 10,000 wallets, 1 to 1,000 rials, a fresh key each): one batch touches about 1,813 wallets
 * (10,000 × (1 − (1 − 1/10,000)^2,000)) and any two batches share about 330 of them, so concurrent batches
 * always overlap and queue on each other's wallet rows for their balance updates (post_transfer_batch
 * locks them only after inserting its transactions and entries). BENCH_BATCH_CLIENTS=2 gives the figure
 * for a service with two workers.
 */
const BATCH_CLIENTS = Number(Deno.env.get("BENCH_BATCH_CLIENTS") ?? CLIENTS);
/** One ledger.post_batch of BATCH uniform random pairs (the JSON is built in the statement, at the server's cost). */
const BATCH_SCRIPT = `select count(*) from ledger.post_batch((
  select jsonb_agg(jsonb_build_object('from', ${userId("x.a")}, 'to', ${userId("x.b + (x.b >= x.a)::int")},
    'amount', x.amount, 'idempotency_key', gen_random_uuid()::text))
  from (select 1 + floor(random() * ${WALLETS})::int as a, 1 + floor(random() * ${WALLETS - 1})::int as b,
               1 + floor(random() * 1000)::int as amount
        from generate_series(1, ${BATCH})) x));
`;

const MERCHANT_SCRIPT = `\\set a random(1, ${WALLETS})
\\set amount random(1, 1000)
select ledger.charge(${userId(":a")}, :amount, gen_random_uuid()::text, '{}', 'merchant:bench');
`;

const asPostgres = (cmd: string, args: string[]) =>
  Deno.uid() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const : [cmd, args] as const;

async function pgbench(bin: string, port: number, args: string[], cwd: string): Promise<string> {
  const [file, argv] = asPostgres(`${bin}/pgbench`, [
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    "postgres",
    ...args,
  ]);
  const out = await new Deno.Command(file, {
    args: [...argv, "postgres"],
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`pgbench ${args.join(" ")} failed:\n${text}`);
  return text;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

/** Runs one timed pgbench workload and reads tps from its summary and latencies from its sampled log. */
async function timedRun(
  name: string,
  bin: string,
  cluster: { port: number; dir: string },
  dir: string,
  workload: string[],
) {
  const port = cluster.port;
  const idle = serverChildren(cluster.dir);
  const cpuBefore = await serverCpuMs(cluster.dir);
  const prefix = `${dir}/log-${name.replace(/\W+/g, "-")}`;
  const summary = await pgbench(bin, port, [
    "-c",
    String(CLIENTS),
    "-j",
    String(THREADS),
    "-T",
    String(SECONDS),
    "-n",
    "-l",
    `--log-prefix=${prefix}`,
    `--sampling-rate=${SAMPLING}`,
    ...workload,
  ], dir); // deno-fmt-ignore
  const cpu = await serverCpuMs(cluster.dir, idle) - cpuBefore;
  const latencies: number[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (!`${dir}/${entry.name}`.startsWith(prefix)) continue;
    for (const line of Deno.readTextFileSync(`${dir}/${entry.name}`).split("\n")) {
      const micros = Number(line.split(" ")[2]);
      if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
  }
  latencies.sort((a, b) => a - b);
  const run: BenchRun = {
    name,
    tps: Number(summary.match(/tps = ([\d.]+)/)?.[1] ?? NaN),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failed: Number(summary.match(/number of failed transactions: (\d+)/)?.[1] ?? 0),
    cpuMs: cpu / Number(summary.match(/number of transactions actually processed: (\d+)/)?.[1] ?? NaN),
  };
  const failed = run.failed ? `, ${run.failed} failed` : "";
  console.log(
    `  ${name.padEnd(48)} ${run.tps.toFixed(0).padStart(6)} tx/s   p50 ${run.p50Ms.toFixed(2)} ms   ` +
      `p99 ${run.p99Ms.toFixed(2)} ms   server CPU ${
        run.cpuMs.toFixed(3)
      } ms/tx   (load ${loadAverage()})${failed}`,
  );
  return run;
}

/** Funds WALLETS users through the service credit path and adds the merchant account. */
async function seed(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`insert into auth.users (id, aud, role, email, created_at, updated_at)
      select ${userId("n")}, 'authenticated', 'authenticated', 'bench-' || n || '@bench.local', now(), now()
      from generate_series(1, ${WALLETS}) n`);
    await sql.unsafe(
      `select count(ledger.post_credit(user_id, 1000000000000, 'topup', 'seed:' || user_id, '{}'))
      from ledger.wallet_balances`,
    );
    await sql`insert into ledger.accounts (kind, code, name) values ('system', 'merchant:bench', 'Bench merchant')`;
    await sql`vacuum analyze`;
    await sql`checkpoint`;
  } finally {
    await sql.end();
  }
}

/** Registers (or ends) a live view of every bench wallet, so each posting also announces wallet_changed. */
async function watchAll(url: string, on: boolean) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    if (on) {
      await sql`insert into ledger.wallet_watchers (user_id, session, expires_at)
        select user_id, 'bench', now() + interval '1 hour' from ledger.wallet_balances`;
    } else {
      await sql`delete from ledger.wallet_watchers where session = 'bench'`;
    }
  } finally {
    await sql.end();
  }
}

async function invariantProblems(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ problems }] = await sql`select count(*)::int as problems from ledger.check_invariants()`;
    return problems;
  } finally {
    await sql.end();
  }
}

/** The whole benchmark; returns the runs and the target ratios. */
export async function runLedgerBench() {
  const started = performance.now();
  const bin = findPgBin();
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-" });
  const cluster = await startCluster({ dir, ephemeral: true, pgCron: false, settings: PROFILE_SETTINGS });
  try {
    await migrate(cluster.url);
    await pgbench(bin, cluster.port, ["-i", "-s", "10", "-q"], dir);
    await seed(cluster.url);
    await trackingOff(cluster.url);
    await Deno.writeTextFile(`${dir}/transfer.sql`, TRANSFER_SCRIPT);
    await Deno.writeTextFile(`${dir}/merchant.sql`, MERCHANT_SCRIPT);
    await Deno.writeTextFile(`${dir}/batch.sql`, BATCH_SCRIPT);
    console.log(
      `ledger bench: ${CLIENTS} clients, ${THREADS} threads, ${ROUNDS} rounds of ${SECONDS} s per run, ` +
        `${WALLETS} wallets; CPU: ${cpuModel()}; load average at start ${loadAverage()}`,
    );
    // Every run starts from the same state (quiesceCluster: the last run's dead rows vacuumed, its dirty pages
    // written, no autovacuum worker busy), as in bench:http: otherwise autovacuum and the checkpointer land in
    // whichever run comes next, and the watched run began on the 10,000 wallet rows that registering the
    // watchers had just updated.
    const run = async (name: string, workload: string[]) => {
      await quiesceCluster(cluster.url, cluster.dir, QUIESCED_TABLES);
      return await timedRun(name, bin, cluster, dir, workload);
    };
    // The machine is shared and noisy: the workloads take turns, and each round gives its ratios.
    const rounds: {
      baseline: BenchRun;
      uniform: BenchRun;
      merchant: BenchRun;
      watched: BenchRun;
      batch: BenchRun;
    }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const label = ROUNDS > 1 ? `round ${round}: ` : "";
      const baseline = await run(`${label}pgbench tpcb-like (scale 10)`, ["-b", "tpcb-like"]);
      const uniform = await run(`${label}ledger transfer, uniform pairs`, ["-f", "transfer.sql"]);
      const merchant = await run(`${label}ledger transfer, hot merchant`, ["-f", "merchant.sql"]);
      await watchAll(cluster.url, true);
      const watched = await run(`${label}ledger transfer, all wallets watched`, ["-f", "transfer.sql"]);
      await watchAll(cluster.url, false);
      const batch = await run(`${label}ledger.post_batch of ${BATCH}`, [
        "-f",
        "batch.sql",
        "-c",
        String(BATCH_CLIENTS),
      ]);
      console.log(
        `  ${label}batch postings/s ${
          (batch.tps * BATCH).toFixed(0)
        } (${BATCH_CLIENTS} clients), server CPU per ` +
          `posting ${(batch.cpuMs / BATCH).toFixed(4)} ms (single transfers: ${uniform.tps.toFixed(0)}/s, ` +
          `${uniform.cpuMs.toFixed(4)} ms; CPU ratio ${
            (uniform.cpuMs / (batch.cpuMs / BATCH)).toFixed(1)
          }x) ` +
          `(load ${loadAverage()})`,
      );
      rounds.push({ baseline, uniform, merchant, watched, batch });
    }
    const ratio = (of: (r: typeof rounds[number]) => number) => {
      const all = rounds.map(of);
      return { median: median(all), all };
    };
    const vsBaseline = ratio((r) => r.uniform.tps / r.baseline.tps);
    const vsUniform = ratio((r) => r.merchant.tps / r.uniform.tps);
    const watchedVsUniform = ratio((r) => r.watched.tps / r.uniform.tps);
    const cpuVsBaseline = ratio((r) => r.uniform.cpuMs / r.baseline.cpuMs);
    const batchVsSingle = ratio((r) => r.batch.tps * BATCH / r.uniform.tps);
    const { baseline, uniform, merchant, watched } = rounds[middleIndex(vsBaseline.all)];
    const mark = (ok: boolean) => ok ? "met" : "NOT met";
    const line = (label: string, r: { median: number; all: number[] }, target: number) =>
      console.log(
        `  ${label.padEnd(20)}= ${r.median.toFixed(2)}x, median of ${ROUNDS} rounds ` +
          `(${r.all.map((x) => x.toFixed(2)).join(", ")}; target >= ${target}x: ${mark(r.median >= target)})`,
      );
    console.log(
      `  pgbench tpcb-like absolute (median round): ${baseline.tps.toFixed(0)} tx/s on ${cpuModel()}`,
    );
    line("uniform / pgbench", vsBaseline, 1.5);
    line("merchant / uniform", vsUniform, 1.0);
    line("watched / uniform", watchedVsUniform, 0.95);
    line("batch / single", batchVsSingle, 10);
    console.log(
      `  server CPU per posting (medians): batch ${
        median(rounds.map((r) => r.batch.cpuMs / BATCH)).toFixed(4)
      } ms, ` +
        `single transfer ${median(rounds.map((r) => r.uniform.cpuMs)).toFixed(4)} ms ` +
        `(single / batch = ${
          median(rounds.map((r) => r.uniform.cpuMs / (r.batch.cpuMs / BATCH))).toFixed(1)
        }x); ` +
        `${BATCH_CLIENTS} batch clients, ${CLIENTS} single clients`,
    );
    console.log(
      `  server CPU per transaction: pgbench ${median(rounds.map((r) => r.baseline.cpuMs)).toFixed(3)} ms, ` +
        `uniform transfer ${median(rounds.map((r) => r.uniform.cpuMs)).toFixed(3)} ms, ` +
        `hot merchant ${median(rounds.map((r) => r.merchant.cpuMs)).toFixed(3)} ms, ` +
        `watched ${median(rounds.map((r) => r.watched.cpuMs)).toFixed(3)} ms ` +
        `(transfer / pgbench = ${cpuVsBaseline.median.toFixed(2)}x)`,
    );
    if (Deno.env.get("BENCH_PROFILE") !== "0") {
      const count = async (name: string, workload: string[]) => {
        const r = await run(name, workload);
        return Math.round(r.tps * SECONDS);
      };
      printProfile(
        "profile of pgbench tpcb-like",
        await profiled(cluster.url, () => count("profiled: pgbench tpcb-like", ["-b", "tpcb-like"])),
      );
      printProfile(
        "profile of ledger transfer, uniform pairs",
        await profiled(
          cluster.url,
          () => count("profiled: ledger transfer, uniform", ["-f", "transfer.sql"]),
        ),
      );
      printProfile(
        `profile of ledger.post_batch of ${BATCH} (per batch statement)`,
        await profiled(
          cluster.url,
          () => count("profiled: ledger.post_batch", ["-f", "batch.sql", "-c", String(BATCH_CLIENTS)]),
        ),
      );
    }
    console.log(`  ledger invariants after the runs: ${await invariantProblems(cluster.url)} problems`);
    console.log(`  total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return {
      baseline,
      uniform,
      merchant,
      watched,
      vsBaseline: vsBaseline.median,
      vsUniform: vsUniform.median,
      watchedVsUniform: watchedVsUniform.median,
      batchVsSingle: batchVsSingle.median,
    };
  } finally {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await runLedgerBench();
