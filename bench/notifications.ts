/**
 * `deno task bench:notifications` — the notification pipeline end to end on one throwaway cluster, against the
 * in-process stand-ins (tests/_support/notify_harness.ts): N messages (40 % email → Resend, 40 % +98 SMS →
 * Kavenegar, 20 % other SMS → Twilio) are enqueued in one statement, then D dispatchers send them; each stand-in
 * answers, captures by outbox id and sends a signed delivery report to notifications-webhook.
 *
 * Rounds, alternating with a baseline measured in the same process (the stand-ins alone: provider clients
 * sending the same mix with no database), so the printed ratio survives a busy machine:
 *   baseline, 0 % faults, baseline, 20 % faults on every provider (retries after 20 ms doubling, 8 attempts).
 * Each round prints messages/s end to end (enqueue → final state), p50/p99 enqueue-to-delivered, lost (not
 * final at the deadline), duplicates (a stand-in accepted the same outbox id twice), dead after 8 attempts.
 * Then the crash test: a dispatcher in a child process is killed (SIGKILL) mid-batch; after its lease another
 * dispatcher finishes; nothing is lost and nothing is sent twice (Resend's Idempotency-Key and Kavenegar's
 * localid absorb the re-send of what the dead one had sent).
 * BENCH_MESSAGES (default 5000), BENCH_DISPATCHERS (default 4), BENCH_DEADLINE_S (default 120).
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { startNotifyHarness } from "../tests/_support/notify_harness.ts";
import { dispatch } from "../lib/notifications/dispatch.ts";
import { createProviders } from "../lib/notifications/providers.ts";
import { providerSettings } from "../lib/notifications/settings.ts";
import { config } from "../lib/config.ts";

const N = Number(Deno.env.get("BENCH_MESSAGES") ?? 5000);
const DISPATCHERS = Number(Deno.env.get("BENCH_DISPATCHERS") ?? 4);
const DEADLINE_S = Number(Deno.env.get("BENCH_DEADLINE_S") ?? 120);

// Child mode: a dispatcher that the crash test kills.
if (Deno.args[0] === "--child") {
  const providers = createProviders({ ...providerSettings(config()), timeoutMs: 5_000 });
  await dispatch({
    providers,
    batch: 400,
    leaseSeconds: 2,
    budgetMs: 60_000,
    concurrency: 64,
    worker: "doomed",
  });
  Deno.exit(0);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

async function enqueue(sql: postgres.Sql, n: number, tag: string, kinds: ("email" | "ir" | "intl")[]) {
  await sql.unsafe(`
    insert into public.notification_outbox (category, channel, recipient, event, locale, data, dedupe_key)
    select 'account', case k when 'email' then 'email' else 'sms' end,
           case k when 'email' then 'bench-' || g || '@bench.example.com'
                  when 'ir' then '+98912' || lpad((g % 10000000)::text, 7, '0')
                  else '+1415' || lpad((g % 10000000)::text, 7, '0') end,
           case k when 'email' then 'raw.email' else 'raw.sms' end, 'fa',
           jsonb_build_object('subject', 'سلام ' || g, 'body', 'کد شما ' || g || ' است'),
           '${tag}:' || g
    from (select g, (array[${kinds.map((k) => `'${k}'`).join(",")}])[1 + g % ${kinds.length}] as k
          from generate_series(1, ${n}) g) s`);
}

async function finalCounts(sql: postgres.Sql, tag: string) {
  const [row] = await sql<
    { open: number; smtp: number; delivered: number; dead: number; dead8: number; total: number }[]
  >`
    select count(*) filter (where status in ('queued', 'sending') or (status = 'sent' and provider <> 'smtp'))::int as open,
           count(*) filter (where status = 'sent' and provider = 'smtp')::int as smtp,
           count(*) filter (where status = 'delivered')::int as delivered,
           count(*) filter (where status = 'dead')::int as dead,
           count(*) filter (where status = 'dead' and attempts = 8)::int as dead8,
           count(*)::int as total
    from public.notification_outbox where dedupe_key like ${tag + ":%"}`;
  return row;
}

async function round(
  h: Awaited<ReturnType<typeof startNotifyHarness>>,
  sql: postgres.Sql,
  name: string,
  faults: number,
) {
  const tag = `${name}-${crypto.randomUUID().slice(0, 6)}`;
  h.state.reset();
  for (const p of ["resend", "twilio", "kavenegar", "smsir"] as const) {
    await h.faults(p, { failure_rate: faults });
  }
  h.state.faults.set("smtp", { failure_rate: faults, latency_ms: 0, down: false });
  await sql`update notifications.circuits set failures = 0, opened_until = null`;
  const kinds = ["email", "ir", "email", "ir", "intl"] as ("email" | "ir" | "intl")[];
  const started = performance.now();
  await enqueue(sql, N, tag, kinds);
  const deadline = Date.now() + DEADLINE_S * 1000;
  let open = N;
  while (Date.now() < deadline && open > 0) {
    await Promise.all(Array.from({ length: DISPATCHERS }, (_, i) =>
      dispatch({
        providers: h.providers,
        batch: 500,
        concurrency: 96,
        budgetMs: 5_000,
        pollMs: 10,
        firstRetryMs: 20,
        worker: `${name}-${i}`,
      })));
    await h.state.callbacksDone();
    open = (await finalCounts(sql, tag)).open;
  }
  const elapsed = (performance.now() - started) / 1000;
  await h.state.flushed();
  if (Deno.env.get("BENCH_DEBUG")) {
    console.log(
      JSON.stringify(h.state.stats()),
      JSON.stringify(
        await sql`select status, provider, attempts, count(*)::int
      from public.notification_outbox where dedupe_key like ${tag + ":%"} and status not in ('delivered')
      group by 1, 2, 3 order by 4 desc limit 10`,
      ),
      JSON.stringify(await sql`select * from notifications.early_reports limit 5`),
      JSON.stringify(await sql`select * from notifications.circuit_states()`),
    );
  }
  const counts = await finalCounts(sql, tag);
  const latencies =
    (await sql<{ ms: number }[]>`select extract(epoch from delivered_at - created_at) * 1000 as ms
    from public.notification_outbox where dedupe_key like ${tag + ":%"} and status = 'delivered'`).map((r) =>
      Number(r.ms)
    )
      .sort((a, b) => a - b);
  const stats = h.state.stats();
  const twilioOnIran = await sql<{ n: number }[]>`select count(*)::int as n from public.notification_outbox
    where dedupe_key like ${tag + ":%"} and recipient like '+98%' and provider = 'twilio'`;
  return {
    name,
    faults,
    perSecond: N / elapsed,
    seconds: elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    lost: counts.open,
    delivered: counts.delivered,
    smtp: counts.smtp,
    dead: counts.dead,
    deadNot8: counts.dead - counts.dead8,
    duplicates: stats.duplicates,
    twilioToIran: twilioOnIran[0].n,
  };
}

/** The stand-ins alone: the same mix sent straight through the provider clients, no database. */
async function baseline(h: Awaited<ReturnType<typeof startNotifyHarness>>, count: number) {
  h.state.reset();
  h.state.callbacksEnabled = false;
  const kinds = ["email", "ir", "email", "ir", "intl"];
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 96 * DISPATCHERS }, async () => {
    while (next < count) {
      const i = next++;
      const kind = kinds[i % kinds.length];
      const provider = kind === "email"
        ? h.providers.resend!
        : kind === "ir"
        ? h.providers.kavenegar!
        : h.providers.twilio!;
      await provider.send({
        outboxId: `b${i}`,
        channel: kind === "email" ? "email" : "sms",
        to: kind === "email"
          ? `base-${i}@bench.example.com`
          : kind === "ir"
          ? "+989120000000"
          : "+14155550000",
        subject: "s",
        text: "کد شما است",
      });
    }
  }));
  const perSecond = count / ((performance.now() - started) / 1000);
  h.state.callbacksEnabled = true;
  return perSecond;
}

async function crashTest(h: Awaited<ReturnType<typeof startNotifyHarness>>, sql: postgres.Sql, url: string) {
  const tag = `crash-${crypto.randomUUID().slice(0, 6)}`;
  h.state.reset();
  for (const p of ["resend", "twilio", "kavenegar", "smsir"] as const) {
    await h.faults(p, { failure_rate: 0, latency_ms: 5 });
  }
  const n = Math.min(N, 2000);
  await enqueue(sql, n, tag, ["email", "ir"]);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--child"],
    env: {
      SUPABASE_URL: h.url,
      PISHKHAN_LOCAL_STACK: "1",
      DATABASE_URL: url,
      SMTP_URL: config().SMTP_URL ?? "",
      LOG_LEVEL: "silent",
    },
    stdout: "null",
    stderr: "null",
  }).spawn();
  // Kill it once it has sent part of its first batch.
  const killAt = Date.now() + 30_000;
  while (Date.now() < killAt && h.state.stats().messages < 100) await new Promise((r) => setTimeout(r, 5));
  child.kill("SIGKILL");
  await child.status;
  const [{ sending }] = await sql<
    { sending: number }[]
  >`select count(*)::int as sending from public.notification_outbox
    where dedupe_key like ${tag + ":%"} and status = 'sending' and claimed_by = 'doomed'`;
  const sentBeforeKill = h.state.stats().messages;
  for (const p of ["resend", "kavenegar"] as const) await h.faults(p, { failure_rate: 0 });
  await new Promise((r) => setTimeout(r, 2_100)); // the lease runs out
  const deadline = Date.now() + DEADLINE_S * 1000;
  let open = n;
  while (Date.now() < deadline && open > 0) {
    await dispatch({
      providers: h.providers,
      batch: 500,
      concurrency: 96,
      budgetMs: 5_000,
      pollMs: 10,
      worker: "survivor",
    });
    await h.state.callbacksDone();
    open = (await finalCounts(sql, tag)).open;
  }
  await h.state.flushed();
  const counts = await finalCounts(sql, tag);
  return {
    messages: n,
    sentBeforeKill,
    claimedByTheDeadOne: sending,
    lost: counts.open,
    delivered: counts.delivered,
    duplicates: h.state.stats().duplicates,
  };
}

const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-notify-" });
const cluster = await startCluster({ dir, ephemeral: true });
try {
  await migrate(cluster.url);
  Deno.env.set("DATABASE_POOL_SIZE", "24");
  const h = await startNotifyHarness(cluster.url);
  const sql = postgres(cluster.url, { max: 4, onnotice: () => {} });
  try {
    console.log(
      `notifications bench: ${N} messages a round, ${DISPATCHERS} dispatchers, 2-core machine shared with others`,
    );
    const b1 = await baseline(h, N);
    const r0 = await round(h, sql, "faults-0", 0);
    const b2 = await baseline(h, N);
    const r20 = await round(h, sql, "faults-20", 0.2);
    for (const [r, b] of [[r0, b1], [r20, b2]] as const) {
      console.log(
        `${r.name.padEnd(10)} ${r.perSecond.toFixed(0).padStart(6)} msg/s end to end (${
          r.seconds.toFixed(1)
        } s)  ` +
          `baseline ${b.toFixed(0)} msg/s  ratio ${(r.perSecond / b).toFixed(2)}  ` +
          `p50 ${r.p50.toFixed(0)} ms  p99 ${
            r.p99.toFixed(0)
          } ms  delivered ${r.delivered}  accepted by SMTP ${r.smtp}  dead ${r.dead} ` +
          `(not after 8: ${r.deadNot8})  lost ${r.lost}  duplicates ${r.duplicates}  Twilio→+98 ${r.twilioToIran}`,
      );
    }
    const crash = await crashTest(h, sql, cluster.url);
    console.log(
      `crash test: ${crash.messages} messages; the killed dispatcher had ${crash.claimedByTheDeadOne} rows claimed and ` +
        `${crash.sentBeforeKill} accepted by the stand-ins; afterwards delivered ${crash.delivered}, lost ${crash.lost}, ` +
        `duplicates ${crash.duplicates}`,
    );
    const ok = r0.lost === 0 && r20.lost === 0 && r0.duplicates === 0 && r20.duplicates === 0 &&
      r20.deadNot8 === 0 &&
      crash.lost === 0 && crash.duplicates === 0 && r0.twilioToIran === 0 && r20.twilioToIran === 0;
    console.log(ok ? "OK: nothing lost, nothing twice" : "FAILED: see above");
    if (!ok) Deno.exitCode = 1;
  } finally {
    await sql.end();
    await h.stop();
    const { closeDb } = await import("../lib/db/client.ts");
    await closeDb();
  }
} finally {
  await cluster.stop();
  await Deno.remove(dir, { recursive: true });
}
