/**
 * Signed-in pages against the JSON API that reads the same data: each page and its API call take turns
 * under wrk (8 connections, BENCH_PAGE_SECONDS each, ROUNDS rounds) against the app in its own process, for
 * one user with a history of about 200 entries, and the ratio page / API per round (target: every page at
 * least 0.8x its API call). Then /wallet at 32 connections (target p99 < 50 ms). Prints the app process's
 * CPU per request (from /proc), the Postgres round trips a page makes (statements per request, from
 * pg_stat_statements), and the app's RSS after the bench. `deno task bench:pages`.
 */
import postgres from "postgres";
import { freePort, startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { startServer, stopServer } from "./http_transfers.ts";
import { runWrk, WRK_RESULT_LUA } from "./wrk.ts";
import { cpuModel, loadAverage, median, processCpuMs, PROFILE_SETTINGS } from "./profile.ts";

const SECONDS = Number(Deno.env.get("BENCH_PAGE_SECONDS") ?? 4);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 3);
const HISTORY = 200;
const PASSWORD = "Bench-passw0rd";

/** A page and the API call that reads the same data. */
const ALL_PAIRS: { page: string; api: string }[] = [
  { page: "/wallet", api: "/api/v1/wallet/entries?limit=20" },
  { page: "/wallet/transfer", api: "/api/v1/wallet" },
  { page: "/wallet/withdrawals", api: "/api/v1/withdrawals" },
  { page: "/profile", api: "/api/v1/wallet" },
  { page: "/tickets", api: "/api/v1/tickets" },
];
/**
 * App threads compared at 32 connections on /wallet: `deno serve` (one isolate) against `deno serve
 * --parallel` with BENCH_APP_THREADS isolates (default 2), each its own process beside the stack, alternating.
 */
const THREADS = Number(Deno.env.get("BENCH_APP_THREADS") ?? 2);

/** BENCH_PAGES=/wallet,/profile runs only those pages (for profiling one page with BENCH_CPU_PROF). */
const ONLY = Deno.env.get("BENCH_PAGES")?.split(",");
const PAIRS = ONLY ? ALL_PAIRS.filter((p) => ONLY.includes(p.page)) : ALL_PAIRS;

interface Run {
  path: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  requests: number;
  appCpuMs: number;
}

function wrkScript(path: string, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([k, v]) =>
    `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`
  );
  return `
wrk.path = ${JSON.stringify(path)}
${lines.join("\n")}
${WRK_RESULT_LUA}
function response(status) if status ~= 200 then failures = failures + 1 end end
`;
}

export async function wrk(
  appUrl: string,
  appPid: number,
  dir: string,
  path: string,
  headers: Record<string, string>,
  connections = 8,
): Promise<Run> {
  const cpuBefore = processCpuMs(appPid);
  const { requests, failed, seconds: elapsed, p50Ms, p99Ms } = await runWrk(
    appUrl,
    wrkScript(path, headers),
    {
      connections,
      seconds: SECONDS,
      scriptPath: `${dir}/page.lua`,
    },
  );
  const cpu = processCpuMs(appPid) - cpuBefore;
  return { path, rps: requests / elapsed, p50Ms, p99Ms, failed, requests, appCpuMs: cpu / requests };
}

export function report(run: Run, label = "") {
  console.log(
    `  ${(label + run.path).padEnd(44)} ${run.rps.toFixed(0).padStart(6)} req/s   p50 ${
      run.p50Ms.toFixed(2)
    } ms   ` +
      `p99 ${run.p99Ms.toFixed(2)} ms   app CPU ${run.appCpuMs.toFixed(2)} ms/req${
        run.failed ? `   ${run.failed} not 200` : ""
      }`,
  );
  if (run.failed) throw new Error(`${run.path}: ${run.failed} answers were not 200`);
  return run;
}

/** A signed-in user (cookies for pages, a Bearer token for the API) with HISTORY entries. */
export async function makeUser(gatewayUrl: string, appUrl: string, url: string) {
  const { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } = await import("../local/keys.ts");
  const admin = { apikey: LOCAL_SECRET_KEY, authorization: `Bearer ${LOCAL_SECRET_KEY}` };
  const ids: string[] = [];
  const email = `pages-bench-${crypto.randomUUID().slice(0, 8)}@bench.local`;
  for (const who of [email, `peer-${email}`]) {
    const made = await fetch(`${gatewayUrl}/auth/v1/admin/users`, {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ email: who, password: PASSWORD, email_confirm: true }),
    });
    if (!made.ok) throw new Error(`create user: ${made.status} ${await made.text()}`);
    ids.push((await made.json() as { id: string }).id);
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const id of ids) {
      await sql`select ledger.post_credit(${id}::uuid, 100000000, 'topup', 'seed:' || ${id}, '{}')`;
    }
    await sql`select count(ledger.post_transfer(
      case when g % 2 = 0 then ${ids[0]}::uuid else ${ids[1]}::uuid end,
      case when g % 2 = 0 then ${ids[1]}::uuid else ${ids[0]}::uuid end,
      10 + g, 'history:' || g)) from generate_series(1, ${HISTORY - 1}) g`;
    await sql`vacuum analyze`;
  } finally {
    await sql.end();
  }
  const token = await fetch(`${gatewayUrl}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: LOCAL_PUBLISHABLE_KEY, "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!token.ok) throw new Error(`token: ${token.status}`);
  const { access_token } = await token.json() as { access_token: string };
  return { cookie: await signInCookie(appUrl, email), bearer: `Bearer ${access_token}`, email };
}

/** The session cookies a browser holds after signing in to the app at `appUrl` as `email`. */
export async function signInCookie(appUrl: string, email: string): Promise<string> {
  const signIn = await fetch(`${appUrl}/signin`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: appUrl },
    body: new URLSearchParams({ email, password: PASSWORD, next: "/wallet" }),
    redirect: "manual",
  });
  await signIn.body?.cancel();
  if (signIn.status !== 303) throw new Error(`sign-in answered ${signIn.status}`);
  return signIn.headers.getSetCookie().map((line) => line.split(";")[0]).filter((p) => !p.endsWith("="))
    .join("; ");
}

/** Statements Postgres ran per request of `path` (what a request costs in round trips, roughly). */
async function statementsPerRequest(
  url: string,
  appUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`select pg_stat_statements_reset()`;
    const n = 50;
    for (let i = 0; i < n; i++) await (await fetch(`${appUrl}${path}`, { headers })).body?.cancel();
    const [{ calls }] = await sql`select coalesce(sum(calls), 0)::int as calls from pg_stat_statements
      where toplevel and query not ilike '%pg_stat_statements%' and query not ilike '%pg_catalog%'`;
    return calls / n;
  } finally {
    await sql.end();
  }
}

/**
 * The app alone under `deno serve` (as hosted), on a free port, against the stack's Auth stand-in: one
 * isolate, or `threads` isolates with --parallel (DENO_JOBS), the pool of 10 connections shared out among
 * them. Returns its URL and process.
 */
async function startServe(threads: number, databaseUrl: string, gatewayUrl: string) {
  const { loadLocalKeys } = await import("../local/keys.ts");
  const { localEnv } = await import("../local/stack.ts");
  const port = freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      "-A",
      ...(threads > 1 ? ["--parallel"] : []),
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "main.ts",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    env: {
      ...localEnv(await loadLocalKeys(), databaseUrl, gatewayUrl, appUrl),
      LOG_LEVEL: "warn",
      DENO_JOBS: String(threads),
      DATABASE_POOL_SIZE: String(Math.ceil(10 / threads)),
    },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  for (let i = 0;; i++) {
    try {
      await (await fetch(`${appUrl}/healthz`)).body?.cancel();
      break;
    } catch (error) {
      if (i > 300) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { appUrl, child };
}

/**
 * One isolate against THREADS isolates, each under `deno serve` in its own process, taking turns on /wallet at
 * 32 connections (skipped when BENCH_APP_THREADS is below 2).
 */
async function compareIsolates(
  databaseUrl: string,
  gatewayUrl: string,
  dir: string,
  pageHeaders: Record<string, string>,
) {
  const single = await startServe(1, databaseUrl, gatewayUrl);
  const parallel = await startServe(THREADS, databaseUrl, gatewayUrl);
  try {
    const p99s = new Map<string, number[]>();
    const rates = new Map<string, number[]>();
    for (const s of [single, parallel]) await wrk(s.appUrl, s.child.pid, dir, "/wallet", pageHeaders, 32); // warm-up
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [label, s] of [["1 isolate", single], [`${THREADS} isolates`, parallel]] as const) {
        const run = report(
          await wrk(s.appUrl, s.child.pid, dir, "/wallet", pageHeaders, 32),
          `round ${round}, deno serve, ${label}, 32 connections: `,
        );
        p99s.set(label, [...p99s.get(label) ?? [], run.p99Ms]);
        rates.set(label, [...rates.get(label) ?? [], run.rps]);
      }
    }
    for (const [label, values] of p99s) {
      console.log(
        `  /wallet at 32 connections, deno serve, ${label}: p99 median ${median(values).toFixed(1)} ms (${
          values.map((v) => v.toFixed(0)).join(", ")
        }), ${median(rates.get(label)!).toFixed(0)} req/s (target < 50 ms: ${
          median(values) < 50 ? "met" : "NOT met"
        }; the app alone, as hosted); load ${loadAverage()}`,
      );
    }
    for (const s of [single, parallel]) {
      const kb = Number(
        Deno.readTextFileSync(`/proc/${s.child.pid}/status`).match(/VmRSS:\s+(\d+)/)?.[1] ?? 0,
      );
      console.log(
        `  deno serve process ${s === single ? "1 isolate" : `${THREADS} isolates`} RSS: ${
          (kb / 1024).toFixed(0)
        } MB`,
      );
    }
  } finally {
    for (const s of [single, parallel]) {
      // `deno serve --parallel` does not always end on SIGTERM (its stderr, inherited, then keeps the
      // bench's output pipe open): killed after 3 s.
      s.child.kill("SIGTERM");
      const timer = setTimeout(() => s.child.kill("SIGKILL"), 3000);
      await s.child.status;
      clearTimeout(timer);
    }
  }
}

export async function runPagesBench() {
  const started = performance.now();
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-pages-" });
  const cluster = await startCluster({ dir, ephemeral: true, pgCron: false, settings: PROFILE_SETTINGS });
  let server: ReturnType<typeof startServer> | undefined;
  try {
    await migrate(cluster.url);
    server = startServer(cluster.url);
    await server.ready;
    const { cookie, bearer } = await makeUser(server.gatewayUrl, server.appUrl, cluster.url);
    const pageHeaders = { cookie, accept: "text/html", "accept-language": "fa" };
    const apiHeaders = { authorization: bearer, "accept-language": "fa" };
    const appPid = server.child.pid;
    console.log(
      `pages bench: wrk, 8 connections, ${ROUNDS} rounds of ${SECONDS} s per run, a user with ${HISTORY} entries; ` +
        `CPU: ${cpuModel()}; load ${loadAverage()}`,
    );
    console.log("  Postgres statements per request (round trips, roughly):");
    for (const { page, api } of PAIRS) {
      const [p, a] = [
        await statementsPerRequest(cluster.url, server.appUrl, page, pageHeaders),
        await statementsPerRequest(cluster.url, server.appUrl, api, apiHeaders),
      ];
      console.log(`    ${page.padEnd(22)} ${p.toFixed(1)}   ${api.padEnd(34)} ${a.toFixed(1)}`);
    }
    // Warm-up: every path once for a second.
    for (const { page, api } of PAIRS) {
      await wrk(server.appUrl, appPid, dir, page, pageHeaders);
      await wrk(server.appUrl, appPid, dir, api, apiHeaders);
    }
    const rssMb = () =>
      Number(Deno.readTextFileSync(`/proc/${appPid}/status`).match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
    const rssAfterWarmUp = rssMb();
    // What the app process spends with no request at all (timers, the Auth stand-in, idle GC): a page that
    // serves few requests a second carries more of it per request than its API call does.
    const idleBefore = processCpuMs(appPid);
    await new Promise((r) => setTimeout(r, 3000));
    console.log(
      `  app CPU while idle: ${((processCpuMs(appPid) - idleBefore) / 3).toFixed(1)} ms per second`,
    );
    const ratios = new Map<string, number[]>();
    // What the page would reach against its API call if the app's CPU were the limit (as on a busy machine).
    const cpuRatios = new Map<string, number[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const { page, api } of PAIRS) {
        const p = report(await wrk(server.appUrl, appPid, dir, page, pageHeaders), `round ${round}: `);
        const a = report(await wrk(server.appUrl, appPid, dir, api, apiHeaders), `round ${round}: `);
        ratios.set(page, [...ratios.get(page) ?? [], p.rps / a.rps]);
        cpuRatios.set(page, [...cpuRatios.get(page) ?? [], a.appCpuMs / p.appCpuMs]);
      }
    }
    for (const { page, api } of PAIRS) {
      const all = ratios.get(page)!;
      const m = median(all);
      console.log(
        `  ${page.padEnd(20)} / ${api.padEnd(32)} = ${m.toFixed(2)}x, median of ${ROUNDS} rounds ` +
          `(${all.map((r) => r.toFixed(2)).join(", ")}; target >= 0.8x: ${m >= 0.8 ? "met" : "NOT met"})`,
      );
      const cpu = cpuRatios.get(page)!;
      console.log(
        `    by app CPU per request (API / page): ${median(cpu).toFixed(2)}x (${
          cpu.map((r) => r.toFixed(2)).join(", ")
        })`,
      );
    }
    const wallet32 = report(
      await wrk(server.appUrl, appPid, dir, "/wallet", pageHeaders, 32),
      "32 connections: ",
    );
    console.log(
      `  /wallet at 32 connections: p99 ${wallet32.p99Ms.toFixed(1)} ms (target < 50 ms: ${
        wallet32.p99Ms < 50 ? "met" : "NOT met"
      }); load ${loadAverage()}`,
    );
    if (THREADS > 1) await compareIsolates(cluster.url, server.gatewayUrl, dir, pageHeaders);
    const rss = rssMb();
    console.log(
      `  app process (app and the local Auth stand-in) RSS: ${
        rssAfterWarmUp.toFixed(0)
      } MB after the warm-up, ` +
        `${rss.toFixed(0)} MB after the bench`,
    );
    console.log(`  total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { ratios, wallet32, rss };
  } finally {
    if (server) await stopServer(server);
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await runPagesBench();
