/**
 * This checkout's HTTP transfer path (B) against another checkout's (A: e.g. the code before a change), both
 * served at once against one cluster (migrated with this checkout's migrations, which must include A's), the
 * 64 bench users of bench:http signed in on each side's Auth, taking turns under wrk (32 connections,
 * BENCH_SECONDS each, BENCH_ROUNDS rounds, A and B in alternating order). Per round: B / A in transfers/s and
 * each side's app CPU per transfer (user and system, from /proc) with the load average.
 * `deno run -A bench/http_ab.ts /path/to/other/checkout` (BENCH_CPU_PROF=<dir> profiles both apps;
 * `.` compares this checkout with itself). BENCH_AB_WORKERS="a,b" runs each side's app in that shape
 * (bench:http's BENCH_APP_WORKERS: 0 inside the stack's process, n isolates of `deno serve`, the pool
 * split among them); default "0,0".
 */
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import {
  appShape,
  type BenchUser,
  makeUsers,
  pauseNotificationJobs,
  startServer,
  stopServer,
  wrkScript,
} from "./http_transfers.ts";
import { runWrk } from "./wrk.ts";
import { cpuModel, loadAverage, median } from "./profile.ts";

const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 6);
const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 8);
const PASSWORD = "Bench-passw0rd";
const [workersA, workersB] = (Deno.env.get("BENCH_AB_WORKERS") ?? "0,0").split(",").map(Number);

const other = Deno.args[0];
if (!other) throw new Error("usage: deno run -A bench/http_ab.ts /path/to/other/checkout");
const { startServer: startOther } = await import(
  new URL(`${other.replace(/\/$/, "")}/bench/http_transfers.ts`, `file://${Deno.cwd()}/`).href
) as {
  startServer: typeof startServer;
};

/** user and system CPU milliseconds of a process (and its reaped children). */
function cpuSplit(pid: number): { user: number; system: number } {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  return { user: (f[11] + f[13]) * 10, system: (f[12] + f[14]) * 10 };
}

/** The same users signed in on another Auth (each side's tokens name its own issuer). */
async function signInAll(gatewayUrl: string, users: BenchUser[]): Promise<BenchUser[]> {
  const { LOCAL_PUBLISHABLE_KEY } = await import("../local/keys.ts");
  return await Promise.all(users.map(async (u, i) => {
    const res = await fetch(`${gatewayUrl}/auth/v1/token?grant_type=password`, {
      method: "POST",
      headers: {
        apikey: LOCAL_PUBLISHABLE_KEY,
        "content-type": "application/json",
        "x-forwarded-for": `198.51.100.${i + 1}`,
      },
      body: JSON.stringify({ email: u.email, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`sign in: ${res.status} ${await res.text()}`);
    return { ...u, token: (await res.json() as { access_token: string }).access_token };
  }));
}

const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-http-ab-" });
const cluster = await startCluster({ dir, ephemeral: true, pgCron: false });
const servers: ReturnType<typeof startServer>[] = [];
try {
  await migrate(cluster.url);
  const a = startOther(cluster.url, appShape(workersA));
  servers.push(a);
  const b = startServer(cluster.url, appShape(workersB));
  servers.push(b);
  await Promise.all([a.ready, b.ready]);
  // Both stacks' workers run the cron jobs: the notifications of the transfers posted so far would land, a
  // minute at a time, in whichever side's process ran them (A at 2.7 ms of app CPU a transfer in one run).
  await pauseNotificationJobs(cluster.url);
  const usersB = await makeUsers(b.gatewayUrl, cluster.url);
  const usersA = await signInAll(a.gatewayUrl, usersB);
  const side = { A: { server: a, users: usersA }, B: { server: b, users: usersB } };
  const run = async (name: "A" | "B", seconds: number) => {
    const { server, users } = side[name];
    // A checkout from before BENCH_APP_WORKERS has no appPid: its app runs in the stack's process.
    const pid = (server.appPid as number | undefined) ?? server.child.pid;
    const before = cpuSplit(pid);
    const result = await runWrk(server.appUrl, wrkScript(users), {
      connections: 32,
      seconds,
      scriptPath: `${dir}/${name}.lua`,
    });
    const after = cpuSplit(pid);
    if (result.failed) throw new Error(`${name}: ${result.failed} transfers refused\n${result.output}`);
    const ok = result.requests;
    return {
      tps: ok / result.seconds,
      user: (after.user - before.user) / ok,
      system: (after.system - before.system) / ok,
    };
  };
  console.log(
    `http A/B: A = ${other} (app workers ${workersA}), B = this checkout (app workers ${workersB}); ${ROUNDS} rounds of ${SECONDS} s; CPU: ${cpuModel()}; ` +
      `load ${loadAverage()}`,
  );
  for (const name of ["A", "B"] as const) await run(name, 4);
  const tps: number[] = [];
  const cpu: number[] = [];
  const show = (r: Awaited<ReturnType<typeof run>>) =>
    `${r.tps.toFixed(0)}/s, app CPU ${(r.user + r.system).toFixed(3)} ms (user ${r.user.toFixed(3)}, ` +
    `system ${r.system.toFixed(3)})`;
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? (["A", "B"] as const) : (["B", "A"] as const);
    const runs: Record<string, Awaited<ReturnType<typeof run>>> = {};
    for (const name of order) {
      runs[name] = await run(name, SECONDS);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    tps.push(runs.B.tps / runs.A.tps);
    cpu.push((runs.A.user + runs.A.system) / (runs.B.user + runs.B.system));
    console.log(
      `  round ${round}: A ${show(runs.A)}; B ${show(runs.B)}; B/A transfers/s ${
        tps.at(-1)!.toFixed(2)
      }x, A/B app CPU ${cpu.at(-1)!.toFixed(2)}x; load ${loadAverage()}`,
    );
  }
  console.log(
    `  median: B/A transfers/s ${median(tps).toFixed(2)}x, A/B app CPU per transfer ${
      median(cpu).toFixed(2)
    }x; load ${loadAverage()}`,
  );
} finally {
  for (const s of servers) await stopServer(s);
  await cluster.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
