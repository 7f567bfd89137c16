/**
 * Payments benchmark on one throwaway cluster: 16 concurrent payers each loop initiate → StartPay "Pay" →
 * callback (payments-verify handler → verify → settle) against the in-process Zarinpal sandbox; then, in the
 * same process and cluster, 8 clients call ledger.post_transfer for the baseline. Prints settled payments/s,
 * p50/p95/p99 of the whole round trip, transfers/s and the ratio. `deno task bench:payments`.
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { createZarinpalSandbox } from "../local/zarinpal/mod.ts";
import { openDatabase } from "../lib/db/client.ts";
import { createPaymentsContext, merchantKeyOf } from "../lib/payments/context.ts";
import { initiatePayment } from "../lib/payments/initiate.ts";
import { createVerifyHandler } from "../functions/payments-verify/index.ts";

const PAYERS = 16;
const PAYMENT_SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 15);
const TRANSFER_CLIENTS = 8;
const TRANSFER_SECONDS = Number(Deno.env.get("BENCH_TRANSFER_SECONDS") ?? 10);
const userId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}

/** Runs `work` in `clients` loops until `seconds` pass; returns completions per second and latencies (ms). */
async function closedLoop(clients: number, seconds: number, work: (client: number) => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
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
  return { perSecond: latencies.length / elapsed, count: latencies.length, errors, ...summary(latencies) };
}

async function seedUsers(sql: postgres.Sql, count: number) {
  await sql.unsafe(`insert into auth.users (id, aud, role, email, created_at, updated_at)
    select ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'authenticated', 'authenticated',
           'bench-' || n || '@bench.local', now(), now()
    from generate_series(1, ${count}) n`);
}

async function paymentsRun(url: string) {
  const { app, control } = createZarinpalSandbox();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const database = openDatabase(url, { max: 24 });
  try {
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
    }, { database });
    const verify = createVerifyHandler(() => Promise.resolve(ctx));
    const claims = Array.from({ length: PAYERS }, (_, i) => ({
      sub: userId(i + 1),
      role: "authenticated",
      user_role: "user",
    }));
    const result = await closedLoop(PAYERS, PAYMENT_SECONDS, async (client) => {
      const started = await initiatePayment(ctx, claims[client], { amount: 100_000n });
      if (!started.ok) throw new Error(`initiate: ${started.reason}`);
      const pay = await fetch(started.redirectUrl, {
        method: "POST",
        body: new URLSearchParams({ action: "pay" }),
        redirect: "manual",
      });
      await pay.body?.cancel();
      const landed = await verify(new Request(pay.headers.get("location")!));
      await landed.body?.cancel();
      if (landed.status !== 303) throw new Error(`callback answered ${landed.status}`);
    });
    control.reset();
    return result;
  } finally {
    await database.destroy();
    await server.shutdown();
  }
}

async function transfersRun(url: string) {
  const sql = postgres(url, { max: TRANSFER_CLIENTS, onnotice: () => {} });
  try {
    await sql.unsafe(`select count(ledger.post_credit(id, 1000000000000, 'topup', 'bench-seed:' || id, '{}'))
      from auth.users where email like 'bench-%@bench.local'`);
    return await closedLoop(TRANSFER_CLIENTS, TRANSFER_SECONDS, async () => {
      const a = 1 + Math.floor(Math.random() * PAYERS);
      const b = 1 + ((a + Math.floor(Math.random() * (PAYERS - 1))) % PAYERS);
      await sql`select ledger.post_transfer(${userId(a)}::uuid, ${
        userId(b)
      }::uuid, 1000, ${crypto.randomUUID()})`;
    });
  } finally {
    await sql.end();
  }
}

async function checks(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select
      (select count(*)::int from ledger.check_invariants()) as problems,
      (select count(*)::int from public.payments where status = 'verified') as verified,
      (select count(*)::int from ledger.transactions where idempotency_key like 'payment:%') as credits`;
    return row as unknown as { problems: number; verified: number; credits: number };
  } finally {
    await sql.end();
  }
}

const fmt = (r: Awaited<ReturnType<typeof closedLoop>>, unit: string) =>
  `${r.perSecond.toFixed(1).padStart(7)} ${unit}/s   p50 ${r.p50.toFixed(1)} ms   p95 ${
    r.p95.toFixed(1)
  } ms   ` +
  `p99 ${r.p99.toFixed(1)} ms   (${r.count} done, ${r.errors} errors)`;

/** The whole benchmark on its own throwaway cluster; sets a failing exit code when money went wrong. */
export async function runPaymentsBench() {
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-payments-" });
  const cluster = await startCluster({ dir, ephemeral: true, pgCron: false });
  try {
    await migrate(cluster.url);
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await seedUsers(admin, PAYERS);
    await admin.end();
    console.log(
      `payments bench: ${PAYERS} payers for ${PAYMENT_SECONDS}s, then ${TRANSFER_CLIENTS} ledger clients for ${TRANSFER_SECONDS}s`,
    );
    const payments = await paymentsRun(cluster.url);
    console.log(`  top-up round trip (initiate + pay + verify) ${fmt(payments, "settled")}`);
    const transfers = await transfersRun(cluster.url);
    console.log(`  ledger.post_transfer                        ${fmt(transfers, "transfers")}`);
    const state = await checks(cluster.url);
    console.log(
      `  ratio settled payments / ledger transfers: ${(payments.perSecond / transfers.perSecond).toFixed(3)}`,
    );
    console.log(
      `  verified payments ${state.verified}, ledger credits ${state.credits}, invariant problems ${state.problems}`,
    );
    if (state.problems || state.verified !== state.credits || state.verified !== payments.count) {
      Deno.exitCode = 1;
    }
  } finally {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await runPaymentsBench();
