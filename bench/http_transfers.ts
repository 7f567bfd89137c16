/**
 * HTTP transfer benchmark: `POST /api/v1/wallet/transfers` under load from 32 connections of wrk (fresh
 * Idempotency-Key per request, Bearer tokens pre-issued by the Auth emulator for 64 funded users, uniform
 * random pairs, recipients by email), against the web app in its own process on 127.0.0.1 (default pool of
 * 10 database connections), on a ledger that already holds 64,000 transfers. Then the SQL-only figure on
 * the same cluster and users: pgbench sending the app's own statement (ledger.transfer_as with each user's
 * token claims, recipients by email) from as many clients as the app's pool has connections, and, for
 * comparison with earlier runs, ledger.post_transfer by wallet ids from 32 clients; they take turns for
 * ROUNDS rounds and the median ratio HTTP / SQL-only (same statement) is the result (target >= 0.8x). The
 * app's CPU per transfer and wrk's come from /proc. Each round checks that
 * the ledger holds one transfer per 201 answer, and with wrk also sends batches of 1,000 transfers to
 * POST /api/v1/transfers/batch from 2 connections (target: postings/s >= 10x the single transfers/s). `deno task bench:http` (also part of `deno task bench`).
 * Without wrk (`apt-get install wrk`) the load comes from fetch loops in this process, which take CPU from
 * the app on a small machine; the report says which.
 *
 * What the figure taught us (2-core machine, where the app, Postgres and the load share the CPU):
 * - Postgres time per transfer decides it. A transfer as BEGIN, set_config, ledger.transfer, a replay
 *   check and COMMIT cost the database about twice what pgbench's single statement costs, and held the
 *   two wallet rows locked across round trips to the app. It is now one statement, ledger.transfer_as.
 * - The RLS policy on ledger.transactions read the caller's whole wallet history on every lookup (a
 *   hashed subplan); it now probes one index entry per row.
 * - Looking a transaction up by id and idempotency scope made the planner walk the caller's every key;
 *   the receipt now looks up by primary key alone.
 * - The app's default pool (10 connections) does better than 32: the app's single thread then competes
 *   with fewer Postgres backends for the two cores.
 * - On an empty ledger the app's long-lived connections kept plans made for tiny tables (sequential scans
 *   for the foreign-key checks of every entry) until autovacuum analyzed them: rounds ran at a third of
 *   the speed, then recovered. Production ledgers are not empty, so the bench starts with a history.
 */
import postgres from "postgres";
import { freePort, startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { findPgBin } from "../local/pg_bin.ts";
import { runWrk, WRK_RESULT_LUA } from "./wrk.ts";
import {
  cpuModel,
  loadAverage,
  median,
  middleIndex,
  processCpuMs,
  quiesceCluster,
  serverCpuMs,
} from "./profile.ts";
/** The statement profile of BENCH_HTTP_PROFILE (pg_stat_statements, track = all). */
import * as statementProfile from "./profile.ts";

const USERS = 64;
const WORKERS = 32;
/**
 * The app's database pool (DATABASE_POOL_SIZE, default 10; BENCH_POOL to try another size): the SQL-only
 * baseline uses as many clients.
 */
const POOL = Number(Deno.env.get("BENCH_POOL") ?? 10);
/**
 * BENCH_APP_WORKERS: 0 (default) runs the app inside the local stack's process, as `deno task start` does;
 * n >= 1 runs it as `deno serve` in its own process (n isolates with --parallel), the pool split among them.
 * Two isolates of 5 connections did worse than one of 10 on this 2-core machine (bench/http_ab.ts,
 * BENCH_AB_WORKERS=0,2: 0.79x the transfers/s, 1.12x the app CPU per transfer; docs/performance.md).
 */
const APP_WORKERS = Number(Deno.env.get("BENCH_APP_WORKERS") ?? 0);
/** `workers` isolates holding POOL connections between them (0: the app inside the stack's process). */
export function appShape(workers: number): AppShape {
  return workers > 0
    ? { workers, poolPerWorker: Math.max(1, Math.round(POOL / workers)) }
    : { workers: 0, poolPerWorker: POOL };
}
const APP_SHAPE = appShape(APP_WORKERS);
/** The app's connections in all, and so the SQL-only baseline's clients. */
const APP_CONNECTIONS = APP_SHAPE.workers ? APP_SHAPE.workers * APP_SHAPE.poolPerWorker : POOL;
const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 10);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 5);
/**
 * Each round's HTTP and SQL-only time (SECONDS each) is cut into BENCH_SLICES alternating slices (default 3,
 * at least 3 s each), so that a change in the machine's load during a round falls on both sides.
 */
const SLICES = Math.max(1, Math.min(Number(Deno.env.get("BENCH_SLICES") ?? 3), Math.floor(SECONDS / 3)));
const SLICE_SECONDS = Math.max(1, Math.round(SECONDS / SLICES));
const MAX_REQUESTS = 500_000;
/**
 * BENCH_HTTP_PROFILE=1: before the timed rounds, one HTTP round with pg_stat_statements (track = all) and
 * track_functions = pl, printing every statement the app sent (and those nested in them) per transfer.
 */
const PROFILE_HTTP = Deno.env.get("BENCH_HTTP_PROFILE") === "1";
/** Transfers already in the ledger when the measured runs start. */
const HISTORY = 64_000;
const PASSWORD = "Bench-passw0rd";
/**
 * The API refuses transfers below WALLET_MIN_TRANSFER_RIAL (422 below_minimum_transfer, default 10 rials):
 * the HTTP transfers are MIN_TRANSFER to 1,000 rials, or about one in a hundred would be refused and stop the run.
 */
const MIN_TRANSFER = Number(Deno.env.get("WALLET_MIN_TRANSFER_RIAL") ?? 10);

interface Run {
  name: string;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  /** Answers 201 (HTTP runs only). */
  ok?: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;

function report(run: Run): Run {
  const failed = run.failed ? `, ${run.failed} failed` : "";
  console.log(
    `  ${run.name.padEnd(48)} ${run.tps.toFixed(0).padStart(6)} tx/s   p50 ${run.p50Ms.toFixed(2)} ms   ` +
      `p99 ${run.p99Ms.toFixed(2)} ms${failed}`,
  );
  return run;
}

/**
 * How the app runs: 0 inside the local stack's process (with the gateway and worker, as `deno task start`
 * does), n >= 1 as production runs it, `deno serve -A main.ts` in its own process (`--parallel` with n
 * isolates for n > 1), each isolate with its share of the pool, so that all of them together hold POOL
 * connections, as many as the SQL-only baseline's clients.
 */
export interface AppShape {
  workers: number;
  /** DATABASE_POOL_SIZE of each isolate. */
  poolPerWorker: number;
}

/** Child process mode: serve the local stack (gateway with Auth, the worker, and the app) until killed. */
async function serve(databaseUrl: string, gatewayPort: number, appPort: number, shape: AppShape) {
  const { startStack } = await import("../local/stack.ts");
  const { localMounts } = await import("../local/mounts.ts");
  // With the app in its own process, the stack's in-process app listens on a port nobody uses.
  await startStack({
    databaseUrl,
    gatewayPort,
    appPort: shape.workers ? freePort() : appPort,
    mounts: localMounts,
  });
  let app: Deno.ChildProcess | undefined;
  if (shape.workers) {
    const appUrl = `http://127.0.0.1:${appPort}`;
    app = new Deno.Command(Deno.execPath(), {
      args: [
        "serve",
        "-A",
        ...(shape.workers > 1 ? ["--parallel"] : []),
        ...(Deno.env.get("BENCH_CPU_PROF")
          ? ["--cpu-prof", `--cpu-prof-dir=${Deno.env.get("BENCH_CPU_PROF")}`]
          : []),
        "--host",
        "127.0.0.1",
        "--port",
        String(appPort),
        new URL("../main.ts", import.meta.url).pathname,
      ],
      // startStack put the local stack's settings in this process's environment; the app inherits them.
      env: {
        APP_URL: appUrl,
        DATABASE_POOL_SIZE: String(shape.poolPerWorker),
        DENO_JOBS: String(shape.workers),
        LOG_LEVEL: "warn",
      },
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    for (let i = 0;; i++) {
      try {
        const res = await fetch(`${appUrl}/healthz`);
        await res.body?.cancel();
        if (res.ok) break;
      } catch { /* not listening yet */ }
      if (i > 600) throw new Error("the app did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // Ends normally on SIGTERM, so that `--cpu-prof` (BENCH_CPU_PROF=<dir>) writes its profile.
  Deno.addSignalListener("SIGTERM", async () => {
    if (app) {
      app.kill("SIGTERM");
      await app.status;
    }
    Deno.exit(0);
  });
  console.log(`ready ${app?.pid ?? Deno.pid}`);
}

export function startServer(databaseUrl: string, shape: AppShape = { workers: 0, poolPerWorker: POOL }) {
  const [gatewayPort, appPort] = [freePort(), freePort()];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(Deno.env.get("BENCH_CPU_PROF")
        ? ["--cpu-prof", `--cpu-prof-dir=${Deno.env.get("BENCH_CPU_PROF")}`]
        : []),
      new URL(import.meta.url).pathname,
      "serve",
      databaseUrl,
      String(gatewayPort),
      String(appPort),
      String(shape.workers),
      String(shape.poolPerWorker),
    ],
    env: { LOG_LEVEL: "warn" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const server = {
    child,
    ready: Promise.resolve(),
    /** The process serving the app (the stack's own process when the app runs inside it). */
    appPid: child.pid,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    appUrl: `http://127.0.0.1:${appPort}`,
  };
  server.ready = (async () => {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!/ready \d+/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the app process ended before it was ready");
      text += value;
    }
    server.appPid = Number(text.match(/ready (\d+)/)![1]);
    reader.releaseLock();
    child.stdout.cancel().catch(() => {});
  })();
  return server;
}

/** Ends the app process started by startServer and waits for it. */
export async function stopServer(server: ReturnType<typeof startServer>) {
  try {
    server.child.kill("SIGTERM");
  } catch { /* already gone */ }
  await server.child.status;
}

export interface BenchUser {
  id: string;
  email: string;
  token: string;
}

/** Users made and signed in through the Auth emulator (real access tokens), funded in SQL. */
export async function makeUsers(gatewayUrl: string, url: string): Promise<BenchUser[]> {
  const { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } = await import("../local/keys.ts");
  const users: BenchUser[] = [];
  for (let n = 1; n <= USERS; n++) {
    const email = `http-bench-${n}@bench.local`;
    const made = await fetch(`${gatewayUrl}/auth/v1/admin/users`, {
      method: "POST",
      headers: {
        apikey: LOCAL_SECRET_KEY,
        authorization: `Bearer ${LOCAL_SECRET_KEY}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ email, password: PASSWORD, email_confirm: true }),
    });
    if (!made.ok) throw new Error(`create user: ${made.status} ${await made.text()}`);
    const { id } = await made.json() as { id: string };
    const signed = await fetch(`${gatewayUrl}/auth/v1/token?grant_type=password`, {
      method: "POST",
      // Auth limits sign-ins per client address: each bench user signs in from its own (documentation) address.
      headers: {
        apikey: LOCAL_PUBLISHABLE_KEY,
        "content-type": "application/json",
        "x-forwarded-for": `198.51.100.${n}`,
      },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (!signed.ok) throw new Error(`sign in: ${signed.status} ${await signed.text()}`);
    users.push({ id, email, token: (await signed.json() as { access_token: string }).access_token });
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select count(ledger.post_credit(id::uuid, 1000000000000, 'topup', 'seed:' || id, '{}'))
      from unnest(${users.map((u) => u.id)}::text[]) as id`;
    // Each user's email and the claims of the token wrk sends (the JWT's payload, as the app passes it to
    // ledger.transfer_as), so that the SQL-only run can send the app's own statement.
    await sql`create table public.bench_users (n int primary key, id uuid not null, email text not null,
      claims text not null)`;
    await sql`insert into public.bench_users select n, id::uuid, email, claims
      from unnest(${users.map((u) => u.id)}::text[], ${users.map((u) => u.email)}::text[],
        ${users.map((u) => tokenClaims(u.token))}::text[]) with ordinality as u (id, email, claims, n)`;
    // A ledger with a history, as in production: measured on an empty one, the first minute is spent in
    // plans made for tiny tables (sequential scans for the foreign-key checks) until autovacuum analyzes.
    await sql`select count(ledger.post_transfer(a.id, b.id, 1 + (random() * 1000)::bigint, 'history:' || g || ':' || a.n))
      from generate_series(1, ${HISTORY / USERS}) as g, public.bench_users a
      join public.bench_users b on b.n = a.n % ${USERS} + 1`;
    await sql`vacuum analyze`;
  } finally {
    await sql.end();
  }
  return users;
}

/** The claims a JWT carries (its payload), as the app's session middleware hands them on. */
function tokenClaims(token: string): string {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.stringify(
    JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)))),
  );
}

/** wrk's Lua script: random pairs, a fresh key per request, and the count of answers other than 201. */
export function wrkScript(users: BenchUser[]): string {
  const list = users.map((u) => `{${JSON.stringify(u.token)},${JSON.stringify(u.email)}}`).join(",\n");
  return `
local users = {${list}}
${WRK_RESULT_LUA}function init(args) math.randomseed(os.time() + id * 7919) end
function request()
  sent = sent + 1
  local a = math.random(#users)
  local b = (a + math.random(#users - 1) - 1) % #users + 1
  return wrk.format("POST", "/api/v1/wallet/transfers", {
    ["authorization"] = "Bearer " .. users[a][1],
    ["content-type"] = "application/json",
    ["idempotency-key"] = string.format("wrk-%d-%d-%d", id, sent, math.random(1e9)),
  }, string.format('{"to":"%s","amount":%d}', users[b][2], math.random(${MIN_TRANSFER}, 1000)))
end
function response(status, headers, body)
  if status ~= 201 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write(string.format("FAILED %d %s\\n", status, string.sub(body or "", 1, 300))) end
  end
end
`;
}

function hasWrk(): boolean {
  try {
    return new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync()
      .code <= 1;
  } catch {
    return false;
  }
}

/** wrk with WORKERS connections (one thread: it needs little CPU) for `seconds`. */
async function wrkRun(
  appUrl: string,
  users: BenchUser[],
  seconds: number,
  name: string,
  dir: string,
): Promise<Run> {
  const { requests, failed, seconds: elapsed, p50Ms, p99Ms, output } = await runWrk(
    appUrl,
    wrkScript(users),
    {
      connections: WORKERS,
      seconds,
      scriptPath: `${dir}/transfers.lua`,
    },
  );
  // The first refused answers, so that a run that stops on them says why.
  for (const line of output.split("\n").filter((l) => l.startsWith("FAILED "))) console.log(`  ${line}`);
  return { name, tps: (requests - failed) / elapsed, p50Ms, p99Ms, failed, ok: requests - failed };
}

/** WORKERS concurrent fetch loops posting transfers for SECONDS (the fallback without wrk). */
async function httpRun(
  appUrl: string,
  users: BenchUser[],
  seconds: number,
  name: string,
): Promise<Run> {
  const latencies: number[] = [];
  let failed = 0;
  let sent = 0;
  const statuses = new Map<number, number>();
  const ends = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < ends && sent < MAX_REQUESTS) {
      sent++;
      const a = Math.floor(Math.random() * users.length);
      const b = (a + 1 + Math.floor(Math.random() * (users.length - 1))) % users.length;
      const started = performance.now();
      const res = await fetch(`${appUrl}/api/v1/wallet/transfers`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${users[a].token}`,
          "content-type": "application/json",
          "idempotency-key": crypto.randomUUID(),
        },
        body: JSON.stringify({
          to: users[b].email,
          amount: MIN_TRANSFER + Math.floor(Math.random() * (1001 - MIN_TRANSFER)),
        }),
      });
      await res.body?.cancel();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 201) latencies.push(performance.now() - started);
      else failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: WORKERS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  if (failed) console.log(`  (statuses: ${JSON.stringify(Object.fromEntries(statuses))})`);
  return {
    name,
    tps: latencies.length / elapsed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failed,
    ok: latencies.length,
  };
}

/**
 * Single transfers the ledger holds (each is one ledger transaction of kind `transfer`); batch transfers
 * (made with an API key, which wrk may leave in flight when a batch run ends) are not counted.
 */
async function transfersPosted(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = await sql`select count(*)::int as n from ledger.transactions
      where kind = 'transfer' and not metadata ? 'api_key_id'`;
    return n;
  } finally {
    await sql.end();
  }
}

const asPostgres = (cmd: string, args: string[]) =>
  Deno.uid() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const : [cmd, args] as const;

export const SQL_SCRIPT = `\\set a random(1, ${USERS})
\\set b random(1, ${USERS - 1})
\\set amount random(10, 1000)
select ledger.post_transfer((select id from public.bench_users where n = :a),
  (select id from public.bench_users where n = :b + (:b >= :a)::int), :amount, gen_random_uuid()::text);
`;

/**
 * The app's own statement (lib/wallet/replay.ts) with the claims of the sender's token and the recipient's
 * email, as wrk's requests make the app send it: the same work in Postgres, without HTTP and the app.
 */
export const SQL_AS_SCRIPT = `\\set a random(1, ${USERS})
\\set b random(1, ${USERS - 1})
\\set amount random(10, 1000)
select transaction_id::text, created_at, created from ledger.transfer_as(
  (select claims from public.bench_users where n = :a),
  (select email from public.bench_users where n = :b + (:b >= :a)::int), :amount, gen_random_uuid()::text, null);
`;
const TRANSFER_AS = { file: "transfer_as.sql", name: "SQL ledger.transfer_as (the app's statement)" };

/** pgbench with `clients` clients running `script` (default: ledger.post_transfer); latencies from its log. */
async function sqlRun(
  port: number,
  dir: string,
  clients: number,
  label = "",
  script = { file: "transfer.sql", name: "SQL ledger.post_transfer" },
  seconds = SECONDS,
): Promise<Run> {
  const bin = findPgBin();
  const prefix = `${dir}/log-sql-${clients}-${script.file}`;
  for (const entry of Deno.readDirSync(dir)) { // an earlier round's latencies
    if (`${dir}/${entry.name}`.startsWith(prefix)) Deno.removeSync(`${dir}/${entry.name}`);
  }
  const [file, argv] = asPostgres(`${bin}/pgbench`, [
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    "postgres",
    "-c",
    String(clients),
    "-j",
    "2",
    "-T",
    String(seconds),
    "-n",
    "-f",
    `${dir}/${script.file}`,
    "-l",
    `--log-prefix=${prefix}`,
    "--sampling-rate=0.2",
    "postgres",
  ]); // deno-fmt-ignore
  const out = await new Deno.Command(file, { args: [...argv], cwd: dir, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`pgbench failed:\n${text}`);
  const latencies: number[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (!`${dir}/${entry.name}`.startsWith(prefix)) continue;
    for (const line of Deno.readTextFileSync(`${dir}/${entry.name}`).split("\n")) {
      const micros = Number(line.split(" ")[2]);
      if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
  }
  latencies.sort((x, y) => x - y);
  return {
    name: `${label}${script.name}, ${clients} clients`,
    tps: Number(text.match(/tps = ([\d.]+)/)?.[1] ?? NaN),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failed: Number(text.match(/number of failed transactions: (\d+)/)?.[1] ?? 0),
  };
}

/** Sets a random bench user's claims, as `asUser` does, in one statement (the baseline). */
const CLAIMS = `set_config('request.jwt.claims', json_build_object('sub',
  (select id from public.bench_users where n = :a), 'role', 'authenticated')::text, false) is not null`;
const claimsScript = (users: string) => `\\set a ${users}\nselect ${CLAIMS};\n`;
const authorizeScript = (users: string) =>
  `\\set a ${users}\nselect ${CLAIMS} and public.authorize('wallet.view'::public.app_permission);\n`;

/**
 * What the database role check costs: public.authorize() reads the caller's current role (user_roles) and
 * ban (auth.users) on every permission check, instead of trusting the token. One pgbench client, so the
 * figure is latency, not contention: the same statement with and without one authorize() call, for a
 * customer (permission refused) and for a finance user (granted, which also runs the ban check), set
 * against one ledger.post_transfer at one client.
 */
async function authorizeCost(url: string, port: number, dir: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`insert into public.user_roles (user_id, role)
    select id, 'finance'::public.app_role from public.bench_users where n = 1 on conflict do nothing`;
  await sql.end();
  const scripts = {
    "claims-user.sql": claimsScript(`random(2, ${USERS})`),
    "authorize-user.sql": authorizeScript(`random(2, ${USERS})`),
    "claims-staff.sql": claimsScript("1"),
    "authorize-staff.sql": authorizeScript("1"),
  };
  for (const [file, text] of Object.entries(scripts)) await Deno.writeTextFile(`${dir}/${file}`, text);
  const run = (file: string, name: string) => sqlRun(port, dir, 1, "", { file, name });
  const transfer = report(await run("transfer.sql", "SQL ledger.post_transfer"));
  // Two figures per caller: the median statement (p50, what a typical request pays) and the mean (1/tps).
  const perCall = async (who: string) => {
    const base = report(await run(`claims-${who}.sql`, `SQL set claims (${who})`));
    const withCheck = report(await run(`authorize-${who}.sql`, `SQL set claims + authorize() (${who})`));
    return { p50: (withCheck.p50Ms - base.p50Ms) * 1000, mean: (1 / withCheck.tps - 1 / base.tps) * 1e6 };
  };
  const user = await perCall("user");
  const staff = await perCall("staff");
  const transferMicros = 1e6 / transfer.tps;
  const micros = (x: { p50: number; mean: number }) =>
    `p50 ${x.p50.toFixed(0)} µs, mean ${x.mean.toFixed(0)} µs`;
  console.log(
    `  public.authorize() per call, 1 client: customer (refused) ${micros(user)}; finance (granted) ` +
      `${micros(staff)}; one ledger.post_transfer: p50 ${(transfer.p50Ms * 1000).toFixed(0)} µs, mean ` +
      `${transferMicros.toFixed(0)} µs, so one check adds about ` +
      `${(100 * Math.max(user.mean, staff.mean) / transferMicros).toFixed(1)}% to a transfer's database time`,
  );
  return { userMicros: user, staffMicros: staff, transferMicros };
}

/** Transfers per request of the batch workload, and the connections sending them. */
const BATCH = 1000;
const BATCH_CONNECTIONS = 2;

/** An API key with the transfers.batch scope, made as the admin page would (service_role). */
async function batchKey(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
      const [{ api_key }] = await tx`select api_key from public.create_api_key('bench batches', 'revenue',
        array['transfers.batch'])`;
      return api_key as string;
    });
  } finally {
    await sql.end();
  }
}

/** wrk's Lua script for POST /api/v1/transfers/batch: BATCH random pairs per request, fresh keys. */
function batchScript(users: BenchUser[], apiKey: string): string {
  return `
local ids = {${users.map((u) => JSON.stringify(u.id)).join(",")}}
${WRK_RESULT_LUA}function init(args) math.randomseed(os.time() + id * 7919) end
function request()
  sent = sent + 1
  local items = {}
  for i = 1, ${BATCH} do
    local a = math.random(#ids)
    local b = (a + math.random(#ids - 1) - 1) % #ids + 1
    items[i] = string.format('{"from":"%s","to":"%s","amount":%d,"idempotency_key":"wrkb-%d-%d-%d-%d"}',
      ids[a], ids[b], math.random(${MIN_TRANSFER}, 1000), id, sent, i, math.random(1e9))
  end
  return wrk.format("POST", "/api/v1/transfers/batch", {
    ["authorization"] = "Bearer ${apiKey}",
    ["content-type"] = "application/json",
  }, '{"transfers":[' .. table.concat(items, ",") .. ']}')
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"refused":0', 1, true) then failures = failures + 1 end
end
`;
}

/** POST /api/v1/transfers/batch from BATCH_CONNECTIONS connections; tps counts postings (transfers). */
async function batchRun(
  appUrl: string,
  script: string,
  seconds: number,
  name: string,
  dir: string,
): Promise<Run> {
  const { requests, failed, seconds: elapsed, p50Ms, p99Ms } = await runWrk(appUrl, script, {
    connections: BATCH_CONNECTIONS,
    seconds,
    scriptPath: `${dir}/batch.lua`,
    timeout: "30s",
  });
  if (failed) throw new Error(`${failed} batch requests were not answered 200 with every transfer posted`);
  return { name, tps: requests * BATCH / elapsed, p50Ms, p99Ms, failed, ok: requests * BATCH };
}

/**
 * The jobs that turn received transfers into notifications (`notifications.expand_ledger_events`, also run by
 * the dispatcher) work through their backlog once a minute, 5,000 transfers at a time: a burst of Postgres
 * CPU (about 2 s) that landed in whichever slice, HTTP or SQL-only, was running. Both sides post the same
 * transfers and leave the same work behind, so the bench pauses those jobs and measures that work on its own
 * (notificationCost).
 */
export async function pauseNotificationJobs(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const paused = await sql`update cron.job set active = false
      where jobname in ('notifications-ledger-events', 'notifications-dispatch') returning jobname`;
    console.log(
      `  paused during the bench: ${paused.map((j) => j.jobname).join(", ")} (see notificationCost)`,
    );
  } finally {
    await sql.end();
  }
}

/** Postgres CPU per transfer for its "money received" notification, made later from the backlog. */
async function notificationCost(url: string, clusterDir: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ backlog }] = await sql`select count(*)::int as backlog from notifications.ledger_events`;
    const before = await serverCpuMs(clusterDir);
    const [{ made }] = await sql`select notifications.expand_ledger_events(2000) as made`;
    const cpu = await serverCpuMs(clusterDir) - before;
    console.log(
      `  deferred work per transfer: its "money received" notification (expand_ledger_events: the in-app row ` +
        `and the outbox row) costs ${(cpu / Math.max(1, made)).toFixed(3)} ms of Postgres CPU, made later ` +
        `(${made} of a backlog of ${backlog}, load ${loadAverage()})`,
    );
  } finally {
    await sql.end();
  }
}

/** The whole benchmark; returns the runs and the ratio against the SQL-only figure at 32 clients. */
export async function runHttpBench() {
  const started = performance.now();
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-http-" });
  const cluster = await startCluster({
    dir,
    ephemeral: true,
    pgCron: false,
    settings: PROFILE_HTTP ? statementProfile.PROFILE_SETTINGS : undefined,
  });
  let server: ReturnType<typeof startServer> | undefined;
  try {
    await migrate(cluster.url);
    if (PROFILE_HTTP) await statementProfile.trackingOff(cluster.url);
    server = startServer(cluster.url, APP_SHAPE);
    await server.ready;
    const users = await makeUsers(server.gatewayUrl, cluster.url);
    await Deno.writeTextFile(`${dir}/transfer.sql`, SQL_SCRIPT);
    await Deno.writeTextFile(`${dir}/${TRANSFER_AS.file}`, SQL_AS_SCRIPT);
    await pauseNotificationJobs(cluster.url);
    const wrk = hasWrk();
    const load = wrk
      ? (seconds: number, name: string) => wrkRun(server!.appUrl, users, seconds, name, dir)
      : (seconds: number, name: string) => httpRun(server!.appUrl, users, seconds, name);
    console.log(
      `http bench: ${WORKERS} connections from ${
        wrk ? "wrk" : "fetch loops in this process (no wrk installed)"
      }, ` +
        `${ROUNDS} rounds of ${SECONDS} s per run, ${USERS} users, 127.0.0.1; the app: ${
          APP_SHAPE.workers
            ? `deno serve ${
              APP_SHAPE.workers > 1 ? "--parallel " : ""
            }with ${APP_SHAPE.workers} isolate(s) of ` +
              `${APP_SHAPE.poolPerWorker} connections`
            : `inside the local stack's process, ${POOL} connections`
        }; SQL-only from ${APP_CONNECTIONS} clients; CPU: ${cpuModel()}; load ${loadAverage()}`,
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
    const warm = await load(5, "warm-up");
    if (warm.failed) throw new Error("some warm-up transfers were refused");
    await settle();
    if (PROFILE_HTTP) {
      const profile = await statementProfile.profiled(cluster.url, async () => {
        const run = report(
          await load(SECONDS, "profiled: HTTP POST /api/v1/wallet/transfers"),
        );
        return run.ok!;
      }, 40);
      statementProfile.printProfile("HTTP transfers (every statement the app and the stack sent)", profile);
      for (const line of profile.statements) {
        console.log(`    ${(line.calls / profile.transactions).toFixed(3)} calls per transfer: ${line.what}`);
      }
      await settle();
    }
    // The machine is shared and noisy: HTTP and SQL-only take turns, and each round gives its own ratio.
    const rounds: { http: Run; sql32: Run; sqlAs: Run; ratio: number; batch?: Run }[] = [];
    const appCpu: number[] = [];
    /** The local stack's process (gateway, worker) when the app runs in its own. */
    const stackCpu: number[] = [];
    const appProcessesCpu = () => {
      const stack = processCpuMs(server!.child.pid);
      return { app: APP_SHAPE.workers ? processCpuMs(server!.appPid) : stack, stack };
    };
    const singleDbCpu: number[] = [];
    const batchCpu: { app: number; db: number }[] = [];
    const loadCpu: number[] = [];
    const script = wrk ? batchScript(users, await batchKey(cluster.url)) : "";
    const sqlAsCpu: { db: number; client: number }[] = [];
    const idleDb: number[] = [];
    /** Every measured run starts from the same state (bench/profile.ts `quiesce`); keeps the idle figure. */
    const quiesce = async () => {
      idleDb.push(
        await quiesceCluster(cluster.url, cluster.dir, [
          "ledger.transactions",
          "ledger.entries",
          "ledger.wallet_balances",
          "notifications.ledger_events",
        ]),
      );
    };
    /** One HTTP slice: its 201 answers and seconds, and the CPU the app, Postgres and wrk spent on it. */
    const httpMeasured = async (label: string, seconds: number) => {
      await quiesce();
      const before = await transfersPosted(cluster.url);
      const appCpuBefore = appProcessesCpu();
      const dbCpuBefore = await serverCpuMs(cluster.dir);
      const loadCpuBefore = processCpuMs(Deno.pid); // wrk, a child of this process, once it has ended
      const http = report(await load(seconds, `${label}HTTP POST /api/v1/wallet/transfers`));
      const appCpuAfter = appProcessesCpu();
      const cpu = {
        app: appCpuAfter.app - appCpuBefore.app,
        stack: appCpuAfter.stack - appCpuBefore.stack,
        db: await serverCpuMs(cluster.dir) - dbCpuBefore,
        load: processCpuMs(Deno.pid) - loadCpuBefore,
      };
      await settle();
      const posted = await transfersPosted(cluster.url) - before;
      // wrk stops with up to one request per connection in flight: posted by the app but never counted.
      if (posted < http.ok! || posted > http.ok! + WORKERS) {
        throw new Error(`the ledger holds ${posted} transfers for ${http.ok} answers 201`);
      }
      if (http.failed) throw new Error("some transfers were refused (see the statuses above)");
      return { http, posted, seconds: http.ok! / http.tps, cpu };
    };
    /**
     * One SQL-only slice: the app's statement from as many clients as the app's pool holds (the same work at
     * the same concurrency in Postgres; on a shared machine, 32 backends would also take 32 shares of the CPU).
     */
    const sqlMeasured = async (label: string, seconds: number) => {
      await quiesce();
      const before = await transfersPosted(cluster.url);
      const dbCpuBefore = await serverCpuMs(cluster.dir);
      const clientCpuBefore = processCpuMs(Deno.pid); // pgbench, a child of this process
      const sqlAs = report(await sqlRun(cluster.port, dir, APP_CONNECTIONS, label, TRANSFER_AS, seconds));
      const made = await transfersPosted(cluster.url) - before;
      return {
        sqlAs,
        made,
        cpu: {
          db: await serverCpuMs(cluster.dir) - dbCpuBefore,
          client: processCpuMs(Deno.pid) - clientCpuBefore,
        },
      };
    };
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    for (let round = 1; round <= ROUNDS; round++) {
      // A round is SLICES pairs of short HTTP and SQL-only runs, in alternating order (HTTP first in the
      // round's odd pairs, SQL-only first in the others), and its ratio is transfers/s over all of its
      // slices: load from outside that changes within a round then falls on both sides alike.
      const https: Awaited<ReturnType<typeof httpMeasured>>[] = [];
      const sqls: Awaited<ReturnType<typeof sqlMeasured>>[] = [];
      for (let slice = 1; slice <= SLICES; slice++) {
        const label = `round ${round}.${slice}: `;
        if ((round + slice) % 2 === 0) {
          https.push(await httpMeasured(label, SLICE_SECONDS));
          sqls.push(await sqlMeasured(label, SLICE_SECONDS));
        } else {
          sqls.push(await sqlMeasured(label, SLICE_SECONDS));
          https.push(await httpMeasured(label, SLICE_SECONDS));
        }
      }
      const ok = sum(https.map((h) => h.http.ok!));
      const http: Run = {
        name: `round ${round}: HTTP`,
        tps: ok / sum(https.map((h) => h.seconds)),
        p50Ms: https.map((h) => h.http.p50Ms).toSorted((x, y) => x - y)[Math.floor(SLICES / 2)],
        p99Ms: Math.max(...https.map((h) => h.http.p99Ms)),
        failed: 0,
        ok,
      };
      const posted = sum(https.map((h) => h.posted));
      const sqlAs: Run = {
        name: `round ${round}: SQL-only`,
        tps: sum(sqls.map((q) => q.sqlAs.tps * SLICE_SECONDS)) / (SLICES * SLICE_SECONDS),
        p50Ms: sqls.map((q) => q.sqlAs.p50Ms).toSorted((x, y) => x - y)[Math.floor(SLICES / 2)],
        p99Ms: Math.max(...sqls.map((q) => q.sqlAs.p99Ms)),
        failed: sum(sqls.map((q) => q.sqlAs.failed)),
      };
      appCpu.push(sum(https.map((h) => h.cpu.app)) / ok);
      stackCpu.push(sum(https.map((h) => h.cpu.stack)) / ok);
      singleDbCpu.push(sum(https.map((h) => h.cpu.db)) / ok);
      loadCpu.push(sum(https.map((h) => h.cpu.load)) / ok);
      const made = sum(sqls.map((q) => q.made));
      sqlAsCpu.push({
        db: sum(sqls.map((q) => q.cpu.db)) / made,
        client: sum(sqls.map((q) => q.cpu.client)) / made,
      });
      // ledger.post_transfer by ids from 32 clients, once per round, for comparison with earlier runs.
      await quiesce();
      const sql32 = report(await sqlRun(cluster.port, dir, 32, `round ${round}: `));
      await quiesce();
      const batchCpuBefore = { app: appProcessesCpu().app, db: await serverCpuMs(cluster.dir) };
      const batch = wrk
        ? report(
          await batchRun(
            server.appUrl,
            script,
            SECONDS,
            `round ${round}: HTTP batches of ${BATCH} (postings/s)`,
            dir,
          ),
        )
        : undefined;
      if (batch) {
        // CPU per posting, the app's and Postgres's, beside the single transfers' (app figure above).
        const app = (appProcessesCpu().app - batchCpuBefore.app) / batch.ok!;
        const db = (await serverCpuMs(cluster.dir) - batchCpuBefore.db) / batch.ok!;
        batchCpu.push({ app, db });
        console.log(
          `  round ${round}: batch postings/s ${
            batch.tps.toFixed(0)
          } (${BATCH_CONNECTIONS} connections), CPU per ` +
            `posting: app ${app.toFixed(4)} ms, Postgres ${db.toFixed(4)} ms; single transfers ${
              http.tps.toFixed(0)
            }/s, app ${appCpu[appCpu.length - 1].toFixed(3)} ms, Postgres ${
              singleDbCpu[singleDbCpu.length - 1].toFixed(3)
            } ms (load ${loadAverage()})`,
        );
      }
      report({ ...http, name: `round ${round}: HTTP, ${SLICES} slices of ${SLICE_SECONDS} s` });
      report({ ...sqlAs, name: `round ${round}: SQL-only (transfer_as), ${SLICES} slices` });
      rounds.push({ http, sql32, sqlAs, ratio: http.tps / sqlAs.tps, batch });
      const sqlCpu = sqlAsCpu[sqlAsCpu.length - 1];
      console.log(
        `  round ${round}: ledger transfers posted ${posted} for ${http.ok} answers 201; ` +
          `HTTP / SQL-only (same statement) = ${(http.tps / sqlAs.tps).toFixed(2)}x, ` +
          `HTTP / SQL ledger.post_transfer = ${(http.tps / sql32.tps).toFixed(2)}x; CPU per transfer: ` +
          `HTTP Postgres ${singleDbCpu[singleDbCpu.length - 1].toFixed(3)} + app ${
            appCpu[appCpu.length - 1].toFixed(3)
          } + wrk ${loadCpu[loadCpu.length - 1].toFixed(3)} ms, SQL-only Postgres ${
            sqlCpu.db.toFixed(3)
          } + ` +
          `pgbench ${sqlCpu.client.toFixed(3)} ms; load ${loadAverage()}`,
      );
    }
    console.log(
      `  Postgres CPU with no load (background, the stack's pollers): ${
        idleDb.map((ms) => ms.toFixed(0)).join(", ")
      } ms per second`,
    );
    await notificationCost(cluster.url, cluster.dir);
    // The app's statement from 32 clients (one per wrk connection), for scale.
    const sql8 = report(await sqlRun(cluster.port, dir, 32, "", TRANSFER_AS));
    const authorize = await authorizeCost(cluster.url, cluster.port, dir);
    const medianRound = rounds[middleIndex(rounds.map((r) => r.ratio))];
    const ratio = medianRound.ratio;
    const oldRatios = rounds.map((r) => r.http.tps / r.sql32.tps);
    console.log(
      `  HTTP / SQL-only (the app's statement, ledger.transfer_as, ${APP_CONNECTIONS} clients as the app's pool), ` +
        `median of ${ROUNDS} rounds = ` +
        `${ratio.toFixed(2)}x (rounds ${rounds.map((r) => r.ratio.toFixed(2)).join(", ")}; target >= 0.8x: ${
          ratio >= 0.8 ? "met" : "NOT met"
        })`,
    );
    console.log(
      `  HTTP / SQL ledger.post_transfer (by ids, no claims or session check, 32 clients), median = ` +
        `${oldRatios.toSorted((a, b) => a - b)[Math.floor(ROUNDS / 2)].toFixed(2)}x ` +
        `(rounds ${oldRatios.map((r) => r.toFixed(2)).join(", ")})`,
    );
    console.log(
      `  HTTP (median round) / SQL-only (transfer_as, 32 clients) = ` +
        `${(medianRound.http.tps / sql8.tps).toFixed(2)}x`,
    );
    console.log(
      `  app CPU per HTTP transfer ${appCpu.map((ms) => ms.toFixed(3)).join(", ")} ms (rounds; ${
        APP_SHAPE.workers
          ? `the stack's process (gateway, worker) beside it ${
            stackCpu.map((ms) => ms.toFixed(3)).join(", ")
          } ms`
          : "the app process also runs the local gateway and worker"
      }); load generator (wrk) ${loadCpu.map((ms) => ms.toFixed(3)).join(", ")} ms; load ${loadAverage()}`,
    );
    const rss = Number(
      Deno.readTextFileSync(`/proc/${server.appPid}/status`).match(/VmRSS:\s+(\d+)/)?.[1],
    );
    console.log(
      `  app process RSS after the HTTP runs: ${(rss / 1024).toFixed(0)} MB (with the gateway and worker)`,
    );
    if (wrk) {
      const batchRatio = median(rounds.map((r) => r.batch!.tps / r.http.tps));
      console.log(
        `  HTTP batch postings/s / HTTP single transfers/s, median of ${ROUNDS} rounds = ${
          batchRatio.toFixed(1)
        }x ` +
          `(rounds ${rounds.map((r) => (r.batch!.tps / r.http.tps).toFixed(1)).join(", ")}; target >= 10x: ${
            batchRatio >= 10 ? "met" : "NOT met"
          })`,
      );
    }
    if (batchCpu.length) {
      const batchApp = median(batchCpu.map((c) => c.app));
      const batchDb = median(batchCpu.map((c) => c.db));
      console.log(
        `  CPU per posting (medians of ${ROUNDS} rounds): batch app ${batchApp.toFixed(4)} + Postgres ` +
          `${batchDb.toFixed(4)} ms; single HTTP transfer app ${median(appCpu).toFixed(3)} + Postgres ` +
          `${median(singleDbCpu).toFixed(3)} ms (single / batch = ${
            ((median(appCpu) + median(singleDbCpu)) / (batchApp + batchDb)).toFixed(1)
          }x); load ${loadAverage()}`,
      );
    }
    const check = postgres(cluster.url, { max: 1, onnotice: () => {} });
    const [{ problems }] = await check`select count(*)::int as problems from ledger.check_invariants()`;
    await check.end();
    console.log(`  ledger invariants after the runs: ${problems} problems`);
    console.log(`  total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { http: medianRound.http, sql32: medianRound.sql32, sql8, ratio, rounds, authorize };
  } finally {
    if (server) await stopServer(server);
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  if (Deno.args[0] === "serve") {
    await serve(Deno.args[1], Number(Deno.args[2]), Number(Deno.args[3]), {
      workers: Number(Deno.args[4] ?? 0),
      poolPerWorker: Number(Deno.args[5] ?? POOL),
    });
  } else await runHttpBench();
}
