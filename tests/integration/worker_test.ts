import { assert, assertEquals } from "@std/assert";
import postgres from "postgres";
import { drainHttpQueue, runDueCronJobs } from "../../local/worker.ts";
import { startCluster } from "../../local/postgres.ts";
import { applyShim } from "../../local/migrate.ts";

Deno.test("[worker] net.http_post — the queued request is sent after commit and its response stored", async () => {
  const sql = postgres(Deno.env.get("DATABASE_URL")!, { max: 1, onnotice: () => {} });
  const received: { body: unknown; auth: string | null; query: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    received.push({
      body: await req.json(),
      auth: req.headers.get("authorization"),
      query: new URL(req.url).search,
    });
    return Response.json({ ok: true }, { status: 202 });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/hook`;
    const [{ id }] = await sql`select net.http_post(${url}, '{"n":1}'::jsonb, '{"a":"b"}'::jsonb,
      '{"Authorization":"Bearer k","Content-Type":"application/json"}'::jsonb) as id`;
    // A stack started by another test file runs its own worker, which may claim the request first:
    // drain too, and wait for the request to arrive and its response to be stored, whoever sent it.
    const deadline = Date.now() + 10_000;
    let response: postgres.Row | undefined;
    while (Date.now() < deadline) {
      await drainHttpQueue(sql);
      [response] = await sql`select status_code, content from net._http_response where id = ${id}`;
      if (response) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assertEquals(received.at(-1), { body: { n: 1 }, auth: "Bearer k", query: "?a=b" });
    assertEquals(response?.status_code, 202);
    assertEquals(JSON.parse(response?.content), { ok: true });
  } finally {
    await server.shutdown();
    await sql.end();
  }
});

Deno.test("[worker] net.http_post — a rolled-back transaction sends nothing", async () => {
  const sql = postgres(Deno.env.get("DATABASE_URL")!, { max: 1, onnotice: () => {} });
  try {
    const marker = `http://127.0.0.1:9/${crypto.randomUUID()}`;
    await sql.begin(async (tx) => {
      await tx`select net.http_post(${marker})`;
      await tx`select 1/0`;
    }).catch(() => {});
    const rows = await sql`select 1 from net.http_request_queue where url = ${marker}`;
    assertEquals(rows.length, 0);
  } finally {
    await sql.end();
  }
});

Deno.test("[worker] cron shim — due jobs run once per schedule and are logged", async () => {
  // A server without pg_cron, so the shim (not the real extension) is what gets exercised.
  const cluster = await startCluster({ dir: await Deno.makeTempDir(), ephemeral: true, pgCron: false });
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  try {
    await applyShim(cluster.url);
    await sql`create table ticks (at timestamptz default now())`;
    await sql`select cron.schedule('tick', '* * * * *', 'insert into ticks default values')`;
    await sql`select cron.schedule('broken', '* * * * *', 'select 1/0')`;
    const since = new Date("2026-01-01T10:00:30Z");
    assertEquals(await runDueCronJobs(sql, since, new Date("2026-01-01T10:00:59Z")), 0);
    assertEquals(await runDueCronJobs(sql, since, new Date("2026-01-01T10:01:00Z")), 2);
    const [{ count }] = await sql`select count(*)::int as count from ticks`;
    assertEquals(count, 1);
    const runs = await sql`select status from cron.job_run_details order by runid`;
    assertEquals(runs.map((r) => r.status).sort(), ["failed", "succeeded"]);
    await sql`select cron.unschedule('tick')`;
    const [{ jobs }] = await sql`select count(*)::int as jobs from cron.job`;
    assert(jobs === 1);
  } finally {
    await sql.end();
    await cluster.destroy();
  }
});
