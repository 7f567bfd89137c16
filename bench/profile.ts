/**
 * What the benches measure besides throughput, because tx/s on a shared 2-core machine says little:
 * - the server's CPU time per transaction: user + system time of the whole Postgres process tree (the
 *   postmaster, its live children, and the children it has already reaped, from /proc), taken before and
 *   after a run and divided by the transactions the run made. It travels between machines better than tx/s
 *   and is not moved by other processes on the machine.
 * - where that time goes: pg_stat_statements (track = all, so the statements inside functions and
 *   triggers count too) and pg_stat_user_functions (track_functions = pl), reset before a profiled run.
 * - the CPU model, so figures from different machines can be compared.
 */
import postgres from "postgres";

/**
 * Server settings that make the profile possible. Tracking itself is switched with ALTER SYSTEM (which a
 * command-line setting would override): off (trackingOff) for the timed runs, on only inside profiled().
 */
export const PROFILE_SETTINGS = [
  "shared_preload_libraries=pg_stat_statements",
  "pg_stat_statements.max=2000",
];

export async function trackingOff(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`alter system set pg_stat_statements.track = 'none'`;
    await sql`alter system set track_functions = 'none'`;
    await sql`select pg_reload_conf()`;
  } finally {
    await sql.end();
  }
}

const TICKS_PER_SECOND = 100; // Linux USER_HZ

function procTimes(pid: number): { own: number; reaped: number; ppid: number } | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const num = (field: number) => Number(fields[field - 3]);
    return { own: num(14) + num(15), reaped: num(16) + num(17), ppid: num(4) };
  } catch {
    return undefined;
  }
}

/** The cluster's processes: CPU milliseconds used so far, and how many children the postmaster has now. */
function clusterCpu(clusterDir: string): { ms: number; children: number } {
  const pid = Number(Deno.readTextFileSync(`${clusterDir}/data/postmaster.pid`).split("\n")[0]);
  const root = procTimes(pid);
  if (!root) throw new Error(`no postmaster ${pid}`);
  let ticks = root.own + root.reaped;
  let children = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    const child = Number(entry.name);
    if (!Number.isInteger(child) || child === pid) continue;
    const times = procTimes(child);
    if (times?.ppid === pid) {
      ticks += times.own;
      children++;
    }
  }
  return { ms: ticks * 1000 / TICKS_PER_SECOND, children };
}

/**
 * CPU milliseconds the cluster's processes have used so far (postmaster pid from postmaster.pid). With
 * `settleTo`, waits (up to 3 s) until the postmaster is down to that many children, so that the backends of
 * a finished run have been reaped and their time has moved into the postmaster's children's time.
 */
export async function serverCpuMs(clusterDir: string, settleTo?: number): Promise<number> {
  for (let i = 0; settleTo !== undefined && i < 60; i++) {
    if (clusterCpu(clusterDir).children <= settleTo) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return clusterCpu(clusterDir).ms;
}

/** How many processes the postmaster has now (its background workers, when no client is connected). */
export function serverChildren(clusterDir: string): number {
  return clusterCpu(clusterDir).children;
}

/** CPU milliseconds this process and its reaped children have used (the app in its own process). */
export function processCpuMs(pid: number): number {
  const times = procTimes(pid);
  if (!times) throw new Error(`no process ${pid}`);
  return (times.own + times.reaped) * 1000 / TICKS_PER_SECOND;
}

/** The middle value (the mean of the two middle ones for an even count): rounds' figures are reported so. */
export function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Where the middle value (the upper one for an even count) stands in `values`: the round a report quotes. */
export function middleIndex(values: number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  return order[Math.floor(order.length / 2)];
}

export function cpuModel(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    const model = info.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown";
    const cores = info.match(/^processor\s*:/gm)?.length ?? 0;
    return `${model}, ${cores} logical CPUs`;
  } catch {
    return "unknown";
  }
}

/** The machine's load averages (1, 5, 15 min), to say how busy the machine was during a run. */
export function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "?";
  }
}

export interface ProfileLine {
  what: string;
  calls: number;
  /** Milliseconds per profiled transaction (total time / transactions). */
  msPerTx: number;
}

/**
 * Runs `work` (which returns the number of transactions it made) with statement and function tracking on,
 * and returns the statements and functions that took the most time per transaction. Times are elapsed
 * times inside the server, so on a busy machine they include waiting for a CPU; the shares are what matter.
 */
export async function profiled(url: string, work: () => Promise<number>, top = 14) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`alter system set pg_stat_statements.track = 'all'`;
    await sql`alter system set track_functions = 'pl'`;
    await sql`select pg_reload_conf()`;
    await new Promise((r) => setTimeout(r, 300));
    await sql`select pg_stat_statements_reset(), pg_stat_reset()`;
    const transactions = await work();
    await new Promise((r) => setTimeout(r, 600)); // function statistics are flushed at most once a second
    const statements = await sql<{ query: string; calls: string; total: number; toplevel: boolean }[]>`
      select regexp_replace(query, '\\s+', ' ', 'g') as query, calls::text, total_exec_time as total, toplevel
      from pg_stat_statements
      where query not ilike '%pg_stat_%' and query not ilike 'alter system%'
      order by total_exec_time desc limit ${top}`;
    const functions = await sql<{ name: string; calls: string; total: number; self: number }[]>`
      select schemaname || '.' || funcname as name, calls::text, total_time as total, self_time as self
      from pg_stat_user_functions order by self_time desc limit ${top}`;
    await sql`alter system set pg_stat_statements.track = 'none'`;
    await sql`alter system set track_functions = 'none'`;
    await sql`select pg_reload_conf()`;
    const per = (ms: number) => ms / Math.max(1, transactions);
    return {
      transactions,
      statements: statements.map((s) => ({
        what: `${s.toplevel ? "" : "(nested) "}${s.query.slice(0, 150)}`,
        calls: Number(s.calls),
        msPerTx: per(s.total),
      })),
      functions: functions.map((f) => ({
        what: `${f.name} (self; total ${per(f.total).toFixed(3)} ms)`,
        calls: Number(f.calls),
        msPerTx: per(f.self),
      })),
    };
  } finally {
    await sql.end();
  }
}

export function printProfile(title: string, profile: Awaited<ReturnType<typeof profiled>>) {
  console.log(
    `  ${title}: ${profile.transactions} transactions profiled; ms per transaction (elapsed in server)`,
  );
  const section = (heading: string, lines: ProfileLine[]) => {
    console.log(`    ${heading}:`);
    for (const line of lines) {
      console.log(
        `      ${line.msPerTx.toFixed(3).padStart(7)} ms  ${
          String(line.calls).padStart(8)
        } calls  ${line.what}`,
      );
    }
  };
  section("statements (pg_stat_statements, track = all)", profile.statements);
  section("functions (pg_stat_user_functions, self time)", profile.functions);
}

/**
 * Brings the cluster to the same state before a measured run: the previous run's dirty pages written
 * (CHECKPOINT), the dead and new rows of `tables` vacuumed and analyzed (otherwise autovacuum, or the
 * checkpointer, lands in whichever run comes next), and no autovacuum worker busy. Returns the cluster's CPU
 * milliseconds in the quiet second that ends it (the background: walwriter, checkpointer, stats).
 */
export async function quiesceCluster(url: string, clusterDir: string, tables: string[]): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let backend = 0;
  try {
    [{ backend }] = await sql<{ backend: number }[]>`select pg_backend_pid() as backend`;
    await sql.unsafe(`vacuum (analyze) ${tables.join(", ")}`);
    await sql`checkpoint`;
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await sql`select count(*)::int as n from pg_stat_activity
        where backend_type = 'autovacuum worker'`;
      if (n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await sql.end();
  }
  // Until this connection's backend has ended and been reaped (its /proc entry gone), its CPU (the vacuum)
  // has not moved into the postmaster's children's time and would be counted in the next figure.
  for (let i = 0; i < 300; i++) {
    try {
      Deno.statSync(`/proc/${backend}`);
    } catch {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const before = await serverCpuMs(clusterDir);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return await serverCpuMs(clusterDir) - before;
}
