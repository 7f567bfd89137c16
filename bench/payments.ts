/**
 * Payments benchmark on one throwaway cluster: PAYERS concurrent payers each loop initiate → StartPay "Pay" →
 * callback (payments-verify handler → verify → settle) against the Zarinpal sandbox (in this process, on its
 * own port, reached over HTTP); the baseline is ledger.post_transfer from TRANSFER_CLIENTS (8, as the issue's
 * figures) and from PAYERS clients, in the same process and cluster. The three take turns for ROUNDS rounds;
 * each round prints its ratio, the load average, and the CPU per unit read from /proc (Postgres's process
 * tree, and this process: the app, the functions and the sandbox). A profiled run then counts what one
 * top-up costs: transactions, statements (pg_stat_statements, track = all), and the time of each hop.
 * `deno task bench:payments` (also part of `deno task bench`).
 *
 * The sandbox injects no latency of its own (BENCH_ZARINPAL_MS adds a delay to each of its calls, default
 * 0): its answers take what an in-process Hono app on loopback takes, which on this 2-core machine under
 * load is milliseconds per call. Real Zarinpal answers in tens to hundreds of milliseconds; the bench
 * measures our side of the round trip.
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { createZarinpalSandbox } from "../local/zarinpal/mod.ts";
import { ENDPOINTS } from "../local/zarinpal/faults.ts";
import { openDatabase } from "../lib/db/client.ts";
import { createPaymentsContext, merchantKeyOf } from "../lib/payments/context.ts";
import { initiatePayment } from "../lib/payments/initiate.ts";
import { createVerifyHandler } from "../functions/payments-verify/index.ts";
import {
  cpuModel,
  loadAverage,
  median,
  processCpuMs,
  PROFILE_SETTINGS,
  serverCpuMs,
  trackingOff,
} from "./profile.ts";

export const PAYERS = 16;
const PAYMENT_SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 8);
const TRANSFER_CLIENTS = 8;
const TRANSFER_SECONDS = Number(Deno.env.get("BENCH_TRANSFER_SECONDS") ?? 5);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const SANDBOX_DELAY_MS = Number(Deno.env.get("BENCH_ZARINPAL_MS") ?? 0);
/**
 * BENCH_BELL_AB=1: each round runs the top-ups twice, alternating which goes first, with notifications.deliver
 * as migrated (the bell's change-log row) and with the same body sending the bell's NOTIFY instead (as before
 * migration 20261202050000), and prints both ratios.
 */
const BELL_AB = Deno.env.get("BENCH_BELL_AB") === "1";
const BELL_LOG_LINE =
  "insert into notifications.bell_changes (user_id, notification_id) values (deliver.user_id, in_app_id);";
const BELL_NOTIFY_LINE =
  "perform pg_notify('notifications', json_build_object('id', in_app_id::text, 'user_id', deliver.user_id)::text);";

/** Switches notifications.deliver between the change-log row (as migrated) and the NOTIFY it replaced. */
async function bellVariants(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [{ def }] = await sql<{ def: string }[]>`
    select pg_get_functiondef('notifications.deliver(text, uuid, jsonb, text, text[], bigint)'::regprocedure) as def`;
  if (!def.includes(BELL_LOG_LINE)) throw new Error("notifications.deliver has no bell change-log row");
  const notify = def.replace(BELL_LOG_LINE, BELL_NOTIFY_LINE);
  return {
    use: async (variant: "log" | "notify") => void await sql.unsafe(variant === "log" ? def : notify),
    close: () => sql.end(),
  };
}
const userId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}

type Loop = Awaited<ReturnType<typeof closedLoop>>;

/**
 * Runs `work` in `clients` loops until `seconds` pass; returns completions per second, latencies (ms) and the
 * CPU milliseconds per completion of the cluster and of this process (from /proc).
 */
export async function closedLoop(
  clusterDir: string,
  clients: number,
  seconds: number,
  work: (client: number) => Promise<void>,
) {
  const latencies: number[] = [];
  let errors = 0;
  const server0 = await serverCpuMs(clusterDir), app0 = processCpuMs(Deno.pid);
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await work(client);
        latencies.push(performance.now() - t0);
      } catch (error) {
        if (errors++ < 3) console.error(`  error: ${error}`);
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const app1 = processCpuMs(Deno.pid);
  // The pools stay connected between runs, so their backends' time is read live.
  const server1 = await serverCpuMs(clusterDir);
  const done = Math.max(1, latencies.length);
  return {
    perSecond: latencies.length / elapsed,
    count: latencies.length,
    errors,
    serverCpuMs: (server1 - server0) / done,
    appCpuMs: (app1 - app0) / done,
    load: loadAverage(),
    ...summary(latencies),
  };
}

export async function seedUsers(sql: postgres.Sql, count: number) {
  await sql.unsafe(`insert into auth.users (id, aud, role, email, created_at, updated_at)
    select ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'authenticated', 'authenticated',
           'bench-' || n || '@bench.local', now(), now()
    from generate_series(1, ${count}) n`);
}

/** Time per hop of one top-up, summed over a run (ms). */
type Hops = Record<string, number>;

/** The payers' side: a sandbox, a pool, a context on a fresh merchant, and one top-up as a function. */
export async function paymentsSetup(url: string) {
  const { app, control } = createZarinpalSandbox();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  for (const endpoint of ENDPOINTS) control.delay(endpoint, SANDBOX_DELAY_MS);
  const database = openDatabase(url, { max: 24 });
  let hops: Hops | undefined;
  const add = (hop: string, ms: number) => hops && (hops[hop] = (hops[hop] ?? 0) + ms);
  /** Times the gateway's API calls when a profiled run asks for hops. */
  const timedFetch: typeof fetch = async (input, init) => {
    const t0 = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      add(`  gateway ${String(input).replace(/.*\//, "")} (response headers)`, performance.now() - t0);
    }
  };
  const merchantId = crypto.randomUUID();
  const ctx = createPaymentsContext({
    merchantId,
    merchantKey: await merchantKeyOf(merchantId),
    apiUrl: `http://127.0.0.1:${server.addr.port}/pg/v4/payment/`,
    callbackSecret: crypto.randomUUID() + crypto.randomUUID(),
    verifyUrl: "http://127.0.0.1:54321/functions/v1/payments-verify",
    appUrl: "http://127.0.0.1:8000",
    minRial: 10_000n,
    maxRial: 1_000_000_000n,
    authorityTtlSeconds: 1800,
    reverseWindowSeconds: 1800,
    timeoutMs: 10_000,
    retries: 0,
  }, { database, fetch: timedFetch });
  const verify = createVerifyHandler(() => Promise.resolve(ctx));
  const claims = Array.from({ length: PAYERS }, (_, i) => ({
    sub: userId(i + 1),
    role: "authenticated",
    user_role: "user",
  }));
  const topUp = async (client: number) => {
    let t0 = performance.now();
    const started = await initiatePayment(ctx, claims[client], { amount: 100_000n });
    if (!started.ok) throw new Error(`initiate: ${started.reason}`);
    add("initiate (app: pending payment, gateway request, authority)", performance.now() - t0);
    t0 = performance.now();
    const pay = await fetch(started.redirectUrl, {
      method: "POST",
      body: new URLSearchParams({ action: "pay" }),
      redirect: "manual",
    });
    await pay.body?.cancel();
    add("StartPay pay (sandbox)", performance.now() - t0);
    t0 = performance.now();
    const landed = await verify(new Request(pay.headers.get("location")!));
    await landed.body?.cancel();
    if (landed.status !== 303) throw new Error(`callback answered ${landed.status}`);
    add("callback (payments-verify: admit, gateway verify, settle)", performance.now() - t0);
  };
  return {
    topUp,
    /** Starts summing hop times (or stops, with undefined) and returns the sums so far. */
    timeHops(on: boolean): Hops | undefined {
      const was = hops;
      hops = on ? {} : undefined;
      return was;
    },
    async close() {
      control.reset();
      await database.destroy();
      await server.shutdown();
    },
  };
}

export function transfersSetup(url: string) {
  const sql = postgres(url, { max: PAYERS, onnotice: () => {} });
  return {
    async seed() {
      await sql.unsafe(
        `select count(ledger.post_credit(id, 1000000000000, 'topup', 'bench-seed:' || id, '{}'))
        from auth.users where email like 'bench-%@bench.local'`,
      );
    },
    transfer: async () => {
      const a = 1 + Math.floor(Math.random() * PAYERS);
      const b = 1 + ((a + Math.floor(Math.random() * (PAYERS - 1))) % PAYERS);
      await sql`select ledger.post_transfer(${userId(a)}::uuid, ${
        userId(b)
      }::uuid, 1000, ${crypto.randomUUID()})`;
    },
    close: () => sql.end(),
  };
}

export async function checks(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select
      (select count(*)::int from ledger.check_invariants()) as problems,
      (select count(*)::int from public.payments where status = 'verified') as verified,
      (select count(*)::int from public.payments where status <> 'verified') as unsettled,
      (select count(*)::int from ledger.transactions where idempotency_key like 'payment:%') as credits`;
    return row as unknown as { problems: number; verified: number; unsettled: number; credits: number };
  } finally {
    await sql.end();
  }
}

/**
 * What one top-up costs the database: transactions (claims statements), top-level statements (claims and
 * queries; BEGIN and COMMIT come on top, one each per transaction), nested statements (inside functions and
 * triggers), with the statements listed.
 */
async function statementsPerTopUp(url: string, run: () => Promise<number>) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`alter system set pg_stat_statements.track = 'all'`;
    await sql`alter system set track_functions = 'all'`;
    await sql`select pg_reload_conf()`;
    await new Promise((r) => setTimeout(r, 300));
    await sql`select pg_stat_statements_reset()`;
    await sql`select pg_stat_reset()`;
    const topUps = await run();
    await new Promise((r) => setTimeout(r, 600)); // function statistics reach the views with a delay
    const functions = await sql<{ name: string; calls: string; total: number; self: number }[]>`
      select schemaname || '.' || funcname as name, calls::text, total_time as total, self_time as self
      from pg_stat_user_functions order by self_time desc limit 25`;
    const rows = await sql<{ query: string; calls: string; toplevel: boolean; ms: number }[]>`
      select regexp_replace(query, '\\s+', ' ', 'g') as query, calls::text, toplevel, total_exec_time as ms
      from pg_stat_statements
      where query not ilike '%pg_stat_statements%' and query not ilike 'alter system%'
        and query not ilike '%pg_reload_conf%'
      order by toplevel desc, calls desc, total_exec_time desc`;
    await trackingOff(url);
    const per = (n: number) => n / Math.max(1, topUps);
    const sum = (top: boolean) =>
      rows.filter((r) => r.toplevel === top).reduce((s, r) => s + Number(r.calls), 0);
    // Every asUser/asService transaction opens with one claims statement (BEGIN and COMMIT, sent over the
    // extended protocol, are not counted by pg_stat_statements; each transaction adds both).
    const commits = rows.filter((r) =>
      r.toplevel && /^select set_config\('request\.jwt\.claims'/i.test(r.query)
    )
      .reduce((s, r) => s + Number(r.calls), 0);
    return {
      topUps,
      transactions: per(commits),
      topLevel: per(sum(true)),
      nested: per(sum(false)),
      lines: rows.filter((r) => r.toplevel).map((r) =>
        `${per(Number(r.calls)).toFixed(2).padStart(6)} × ${per(r.ms).toFixed(3)} ms  ${
          r.query.slice(0, 110)
        }`
      ),
      nestedLines: rows.filter((r) => !r.toplevel).sort((a, b) => b.ms - a.ms).slice(0, 30).map((r) =>
        `${per(Number(r.calls)).toFixed(2).padStart(6)} × ${per(r.ms).toFixed(3)} ms  ${
          r.query.slice(0, 110)
        }`
      ),
      functionLines: functions.map((f) =>
        `${per(Number(f.calls)).toFixed(2).padStart(6)} calls  self ${per(f.self).toFixed(3)} ms  total ${
          per(f.total).toFixed(3)
        } ms  ${f.name}`
      ),
    };
  } finally {
    await sql.end();
  }
}

const fmt = (r: Loop, unit: string) =>
  `${r.perSecond.toFixed(1).padStart(7)} ${unit}/s   p50 ${r.p50.toFixed(1)} ms   p99 ${
    r.p99.toFixed(1)
  } ms   ` +
  `CPU/unit: Postgres ${r.serverCpuMs.toFixed(2)} ms, this process ${r.appCpuMs.toFixed(2)} ms   ` +
  `(${r.count} done, ${r.errors} errors; load ${r.load})`;

/**
 * Runs `body` on a throwaway cluster, migrated, with tracking off and the payers' users seeded; stops and
 * deletes the cluster afterwards.
 */
export async function withPaymentsCluster<T>(
  prefix: string,
  body: (cluster: { url: string; dir: string }) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  const cluster = await startCluster({ dir, ephemeral: true, pgCron: false, settings: PROFILE_SETTINGS });
  try {
    await migrate(cluster.url);
    await trackingOff(cluster.url);
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await seedUsers(admin, PAYERS);
    await admin.end();
    return await body(cluster);
  } finally {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The whole benchmark on its own throwaway cluster; sets a failing exit code when money went wrong. */
export async function runPaymentsBench() {
  await withPaymentsCluster("pishkhan-bench-payments-", async (cluster) => {
    console.log(
      `payments bench: ${ROUNDS} rounds of ${PAYERS} payers for ${PAYMENT_SECONDS} s, then ledger.post_transfer ` +
        `from ${TRANSFER_CLIENTS} and from ${PAYERS} clients for ${TRANSFER_SECONDS} s each; sandbox delay ` +
        `${SANDBOX_DELAY_MS} ms per call; CPU: ${cpuModel()}; load ${loadAverage()}`,
    );
    const payments = await paymentsSetup(cluster.url);
    const transfers = transfersSetup(cluster.url);
    let settled = 0;
    const ratios: number[] = [];
    const ratiosSameClients: number[] = [];
    const ceilings: number[] = [];
    try {
      await transfers.seed();
      const bell = BELL_AB ? await bellVariants(cluster.url) : undefined;
      const notifyRatios: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        let notified: Loop | undefined;
        if (bell && round % 2 === 1) {
          await bell.use("notify");
          notified = await closedLoop(cluster.dir, PAYERS, PAYMENT_SECONDS, payments.topUp);
          await bell.use("log");
        }
        const pay = await closedLoop(cluster.dir, PAYERS, PAYMENT_SECONDS, payments.topUp);
        settled += pay.count;
        if (bell && round % 2 === 0) {
          await bell.use("notify");
          notified = await closedLoop(cluster.dir, PAYERS, PAYMENT_SECONDS, payments.topUp);
          await bell.use("log");
        }
        if (notified) settled += notified.count;
        const base = await closedLoop(cluster.dir, TRANSFER_CLIENTS, TRANSFER_SECONDS, transfers.transfer);
        const same = await closedLoop(cluster.dir, PAYERS, TRANSFER_SECONDS, transfers.transfer);
        ratios.push(pay.perSecond / base.perSecond);
        ratiosSameClients.push(pay.perSecond / same.perSecond);
        console.log(`  round ${round}`);
        console.log(`    top-up round trip (${PAYERS} payers)       ${fmt(pay, "settled")}`);
        if (notified) {
          notifyRatios.push(notified.perSecond / base.perSecond);
          console.log(`    top-up, bell by NOTIFY (${PAYERS} payers) ${fmt(notified, "settled")}`);
          console.log(
            `    bell: log / NOTIFY top-ups ${
              (pay.perSecond / notified.perSecond).toFixed(2)
            }x; ratio with NOTIFY ` +
              `${notifyRatios.at(-1)!.toFixed(3)} (vs ${TRANSFER_CLIENTS} clients)`,
          );
        }
        console.log(`    ledger.post_transfer (${TRANSFER_CLIENTS} clients)    ${fmt(base, "transfers")}`);
        console.log(`    ledger.post_transfer (${PAYERS} clients)   ${fmt(same, "transfers")}`);
        console.log(
          `    ratio settled / transfers: ${ratios.at(-1)!.toFixed(3)} (vs ${TRANSFER_CLIENTS} clients), ` +
            `${ratiosSameClients.at(-1)!.toFixed(3)} (vs ${PAYERS} clients)`,
        );
        // What the ratio can be where the CPU is the limit: a transfer's CPU over a top-up's, both processes
        // (Postgres and this one: app, Edge Function handler, payer and sandbox). Travels between machines
        // better than the ratio itself, which moves with whatever else the cores are doing.
        const topUpCpu = pay.serverCpuMs + pay.appCpuMs, transferCpu = base.serverCpuMs + base.appCpuMs;
        ceilings.push(transferCpu / topUpCpu);
        console.log(
          `    CPU per top-up ${topUpCpu.toFixed(2)} ms, per transfer ${
            transferCpu.toFixed(2)
          } ms (both sides): ` +
            `CPU-bound ceiling of the ratio ${ceilings.at(-1)!.toFixed(3)}`,
        );
      }
      await bell?.close();
      if (notifyRatios.length) {
        console.log(
          `  median ratio with the bell's NOTIFY: ${
            median(notifyRatios).toFixed(3)
          } (vs ${TRANSFER_CLIENTS} clients)`,
        );
      }
      if (Deno.env.get("BENCH_PROFILE") !== "0") {
        payments.timeHops(true);
        const profile = await statementsPerTopUp(cluster.url, async () => {
          const run = await closedLoop(cluster.dir, PAYERS, Math.min(PAYMENT_SECONDS, 4), payments.topUp);
          settled += run.count;
          return run.count;
        });
        const hops = payments.timeHops(false)!;
        console.log(
          `  profiled run: ${profile.topUps} top-ups; per top-up ${
            profile.transactions.toFixed(2)
          } transactions, ` +
            `${profile.topLevel.toFixed(2)} top-level statements, ${
              profile.nested.toFixed(2)
            } nested (load ${loadAverage()})`,
        );
        for (const line of profile.lines) console.log(`    ${line}`);
        console.log(`  nested statements per top-up (total time, most first):`);
        for (const line of profile.nestedLines) console.log(`    ${line}`);
        console.log(`  functions per top-up (track_functions = all, self time most first):`);
        for (const line of profile.functionLines) console.log(`    ${line}`);
        console.log(`  time per top-up by hop (profiled run, ${PAYERS} payers):`);
        for (const [hop, ms] of Object.entries(hops)) {
          console.log(`    ${(ms / Math.max(1, profile.topUps)).toFixed(1).padStart(7)} ms  ${hop}`);
        }
      }
    } finally {
      await payments.close();
      await transfers.close();
    }
    const state = await checks(cluster.url);
    console.log(
      `  median ratio settled payments / ledger transfers: ${median(ratios).toFixed(3)} ` +
        `(${TRANSFER_CLIENTS} ledger clients; target >= 0.15), ${
          median(ratiosSameClients).toFixed(3)
        } against ${PAYERS} ledger clients`,
    );
    if (ceilings.length) {
      console.log(`  median CPU-bound ceiling (transfer CPU / top-up CPU): ${median(ceilings).toFixed(3)}`);
    }
    console.log(
      `  verified payments ${state.verified}, ledger credits ${state.credits}, other payments ${state.unsettled}, ` +
        `invariant problems ${state.problems}; load ${loadAverage()}`,
    );
    if (state.problems || state.verified !== state.credits || state.verified !== settled || state.unsettled) {
      Deno.exitCode = 1;
    }
  });
}

if (import.meta.main) await runPaymentsBench();
