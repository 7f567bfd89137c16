/**
 * HTTP transfer benchmark: `POST /api/v1/wallet/transfers` under load from 32 concurrent workers (fresh
 * Idempotency-Key per request, Bearer tokens pre-issued by the Auth emulator for 64 funded users, uniform
 * random pairs), against the web app in its own process on 127.0.0.1; then the SQL-only figure on the same
 * cluster and users: pgbench calling ledger.post_transfer with 8 and 32 clients. Prints transfers/s, p50/p99
 * and the ratio HTTP / SQL-only (target >= 0.5x). `deno task bench:http` (also part of `deno task bench`).
 *
 * Where an HTTP transfer's time goes (V8 CPU profile of the app process, 2-core machine): about a third in
 * socket writes of postgres.js through Deno's node:net layer (a request is BEGIN, set_config, ledger.transfer,
 * the replay check, COMMIT: five round trips), a sixth in ES256 verification of the access token, the rest in
 * Hono, zod, Kysely and HTTP. pgbench's baseline is one statement per transfer from a C client.
 */
import postgres from "postgres";
import { freePort, startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { findPgBin } from "../local/pg_bin.ts";

const USERS = 64;
const WORKERS = 32;
const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 15);
const MAX_REQUESTS = 500_000;
const PASSWORD = "Bench-passw0rd";

interface Run {
  name: string;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;

function report(run: Run): Run {
  const failed = run.failed ? `, ${run.failed} failed` : "";
  console.log(
    `  ${run.name.padEnd(38)} ${run.tps.toFixed(0).padStart(6)} tx/s   p50 ${run.p50Ms.toFixed(2)} ms   ` +
      `p99 ${run.p99Ms.toFixed(2)} ms${failed}`,
  );
  return run;
}

/** Child process mode: serve the local stack (gateway with Auth, and the app) until killed. */
async function serve(databaseUrl: string, gatewayPort: number, appPort: number) {
  const { startStack } = await import("../local/stack.ts");
  const { localMounts } = await import("../local/mounts.ts");
  await startStack({ databaseUrl, gatewayPort, appPort, mounts: localMounts });
  console.log("ready");
}

function startServer(databaseUrl: string) {
  const [gatewayPort, appPort] = [freePort(), freePort()];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      "serve",
      databaseUrl,
      String(gatewayPort),
      String(appPort),
    ],
    env: { LOG_LEVEL: "warn" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const ready = (async () => {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the app process ended before it was ready");
      text += value;
    }
    reader.releaseLock();
    child.stdout.cancel().catch(() => {});
  })();
  return {
    child,
    ready,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    appUrl: `http://127.0.0.1:${appPort}`,
  };
}

interface BenchUser {
  id: string;
  email: string;
  token: string;
}

/** Users made and signed in through the Auth emulator (real access tokens), funded in SQL. */
async function makeUsers(gatewayUrl: string, url: string): Promise<BenchUser[]> {
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
    await sql`create table public.bench_users (n int primary key, id uuid not null)`;
    await sql`insert into public.bench_users select n, id::uuid
      from unnest(${users.map((u) => u.id)}::text[]) with ordinality as u (id, n)`;
    await sql`vacuum analyze`;
  } finally {
    await sql.end();
  }
  return users;
}

/** WORKERS concurrent loops posting transfers for SECONDS (after a short warm-up). */
async function httpRun(appUrl: string, users: BenchUser[], seconds: number, name: string): Promise<Run> {
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
        body: JSON.stringify({ to: users[b].email, amount: 1 + Math.floor(Math.random() * 1000) }),
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
  };
}

const asPostgres = (cmd: string, args: string[]) =>
  Deno.uid() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const : [cmd, args] as const;

const SQL_SCRIPT = `\\set a random(1, ${USERS})
\\set b random(1, ${USERS - 1})
\\set amount random(1, 1000)
select ledger.post_transfer((select id from public.bench_users where n = :a),
  (select id from public.bench_users where n = :b + (:b >= :a)::int), :amount, gen_random_uuid()::text);
`;

/** pgbench with `clients` clients calling ledger.post_transfer; latencies from its sampled log. */
async function sqlRun(port: number, dir: string, clients: number): Promise<Run> {
  const bin = findPgBin();
  const prefix = `${dir}/log-sql-${clients}`;
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
    String(SECONDS),
    "-n",
    "-f",
    `${dir}/transfer.sql`,
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
    name: `SQL ledger.post_transfer, ${clients} clients`,
    tps: Number(text.match(/tps = ([\d.]+)/)?.[1] ?? NaN),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failed: Number(text.match(/number of failed transactions: (\d+)/)?.[1] ?? 0),
  };
}

/** The whole benchmark; returns the runs and the ratio against the SQL-only figure at 32 clients. */
export async function runHttpBench() {
  const started = performance.now();
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-http-" });
  const cluster = await startCluster({ dir, ephemeral: true, pgCron: false });
  let server: ReturnType<typeof startServer> | undefined;
  try {
    await migrate(cluster.url);
    server = startServer(cluster.url);
    await server.ready;
    const users = await makeUsers(server.gatewayUrl, cluster.url);
    await Deno.writeTextFile(`${dir}/transfer.sql`, SQL_SCRIPT);
    console.log(`http bench: ${WORKERS} concurrent workers, ${SECONDS} s per run, ${USERS} users, 127.0.0.1`);
    await httpRun(server.appUrl, users, 2, "warm-up");
    const http = report(await httpRun(server.appUrl, users, SECONDS, `HTTP POST /api/v1/wallet/transfers`));
    const sql32 = report(await sqlRun(cluster.port, dir, 32));
    const sql8 = report(await sqlRun(cluster.port, dir, 8));
    const ratio = http.tps / sql32.tps;
    console.log(
      `  HTTP / SQL-only (32 clients) = ${ratio.toFixed(2)}x (target >= 0.5x: ${
        ratio >= 0.5 ? "met" : "NOT met"
      })`,
    );
    console.log(`  HTTP / SQL-only (8 clients)  = ${(http.tps / sql8.tps).toFixed(2)}x`);
    const check = postgres(cluster.url, { max: 1, onnotice: () => {} });
    const [{ problems }] = await check`select count(*)::int as problems from ledger.check_invariants()`;
    await check.end();
    console.log(`  ledger invariants after the runs: ${problems} problems`);
    console.log(`  total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { http, sql32, sql8, ratio };
  } finally {
    if (server) {
      try {
        server.child.kill("SIGTERM");
      } catch { /* already gone */ }
      await server.child.status;
    }
    await cluster.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  if (Deno.args[0] === "serve") await serve(Deno.args[1], Number(Deno.args[2]), Number(Deno.args[3]));
  else await runHttpBench();
}
