/**
 * `deno task bench:notifications-poll`: what delivery-status polling costs the dispatcher. The poll sweep needs
 * one partial index on the outbox (`notification_outbox_awaiting_report_idx`: sent_at of rows `sent` by
 * Kavenegar or SMS.ir), which every "accepted by the provider" update of such a row now also writes. This bench
 * marks outbox rows sent the way notifications.complete does (batches of 200, status sending → sent with a
 * provider message id) with the index and without it, in alternating rounds on one throwaway cluster, and
 * prints the Postgres backend's CPU per row (from /proc/<pid>/stat), the ratio, and the load average; then the
 * cost of one claim_polls + apply_polls round per polled message.
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";

const ROWS = Number(Deno.env.get("BENCH_ROWS") ?? 20_000);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 6);
const TICK_MS = 10; // USER_HZ = 100 on Linux

async function backendCpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}

async function load(): Promise<string> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
}

const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-poll-" });
const cluster = await startCluster({ dir, ephemeral: true });
try {
  await migrate(cluster.url);
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  const [{ pid }] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;

  /** Makes ROWS claimed rows, then marks them sent in batches of 200; backend CPU ms for the marking only. */
  const round = async (): Promise<number> => {
    await sql`truncate public.notification_outbox cascade`;
    await sql`insert into public.notification_outbox (category, channel, recipient, event, status, attempts,
        claimed_by, claimed_until, claimed_at)
      select 'money', 'sms', '+98912' || lpad(g::text, 7, '0'), 'payment.failed', 'sending', 1, 'bench',
        now() + interval '1 minute', now()
      from generate_series(1, ${ROWS}) g`;
    await sql`vacuum analyze public.notification_outbox`;
    const before = await backendCpuMs(pid);
    for (;;) {
      const done = await sql`update public.notification_outbox o set status = 'sent', provider = 'kavenegar',
          provider_message_id = (1000000000 + o.id)::text, sent_at = now(), updated_at = now(),
          claimed_until = null
        where o.id in (select id from public.notification_outbox where status = 'sending' order by id limit 200)`;
      if (done.count === 0) break;
    }
    return await backendCpuMs(pid) - before;
  };

  const withIndex: number[] = [];
  const without: number[] = [];
  const create = `create index notification_outbox_awaiting_report_idx on public.notification_outbox (sent_at)
    where status = 'sent' and provider in ('kavenegar', 'smsir')`;
  for (let r = 0; r < ROUNDS; r++) {
    const first = r % 2 === 0;
    for (const indexed of first ? [true, false] : [false, true]) {
      await sql`drop index if exists public.notification_outbox_awaiting_report_idx`;
      if (indexed) await sql.unsafe(create);
      (indexed ? withIndex : without).push(await round());
    }
    console.log(
      `round ${r + 1}: with index ${withIndex.at(-1)} ms, without ${
        without.at(-1)
      } ms (${ROWS} rows; load ${await load()})`,
    );
  }
  await sql`drop index if exists public.notification_outbox_awaiting_report_idx`;
  await sql.unsafe(create);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const perRow = (xs: number[]) => (sum(xs) * 1000) / (xs.length * ROWS);
  console.log(
    `marking sent: ${perRow(withIndex).toFixed(2)} µs/row with the index, ${
      perRow(without).toFixed(2)
    } µs/row without; with / without = ${(sum(withIndex) / sum(without)).toFixed(3)} (load ${await load()})`,
  );

  // The sweep: claim + apply for every row (as if each answer were final), per polled message.
  const before = await backendCpuMs(pid);
  let polled = 0;
  for (;;) {
    const claimed = await sql<{ id: string; provider: string; provider_message_id: string }[]>`
      select id::text, provider, provider_message_id from notifications.claim_polls(500, 0, 172800)`;
    if (claimed.length === 0) break;
    const results = claimed.map((c) => ({ ...c, status: "delivered", answer: "kavenegar status 10" }));
    await sql`select notifications.apply_polls(${JSON.stringify(results)}::text::jsonb)`;
    polled += claimed.length;
  }
  const cpu = await backendCpuMs(pid) - before;
  console.log(
    `poll sweep: ${polled} messages, ${
      ((cpu * 1000) / Math.max(polled, 1)).toFixed(1)
    } µs of backend CPU each (claim + apply; load ${await load()})`,
  );
  await sql.end();
} finally {
  await cluster.stop();
}
