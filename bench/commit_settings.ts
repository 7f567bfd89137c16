/**
 * The commit settings that matter on hosted Supabase, measured on a durable cluster (fsync and
 * synchronous_commit on, as hosted): ledger.post_transfer from 8 pgbench clients with commit_delay 0 and
 * 1000 µs (commit_siblings 5), taking turns for BENCH_ROUNDS rounds; prints transfers/s, p50/p99 and the
 * server CPU per transfer of each. `deno task bench:commit`. See docs/performance.md.
 */
import postgres from "postgres";
import { startCluster } from "../local/postgres.ts";
import { migrate } from "../local/migrate.ts";
import { findPgBin } from "../local/pg_bin.ts";
import { cpuModel, loadAverage, serverChildren, serverCpuMs } from "./profile.ts";

const WALLETS = 1000;
const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 5);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 2);
const userId = (n: string) => `('00000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
const SCRIPT = `\\set a random(1, ${WALLETS})
\\set b random(1, ${WALLETS - 1})
select ledger.post_transfer(${userId(":a")}, ${userId(":b + (:b >= :a)::int")}, 1, gen_random_uuid()::text);
`;

const asPostgres = (cmd: string, args: string[]) =>
  Deno.uid() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const : [cmd, args] as const;

export async function runCommitBench() {
  const dir = await Deno.makeTempDir({ prefix: "pishkhan-bench-commit-" });
  const cluster = await startCluster({ dir, ephemeral: false, pgCron: false });
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  try {
    await migrate(cluster.url);
    await sql.unsafe(`insert into auth.users (id, aud, role, email, created_at, updated_at)
      select ${userId("n")}, 'authenticated', 'authenticated', 'c-' || n || '@bench.local', now(), now()
      from generate_series(1, ${WALLETS}) n`);
    await sql.unsafe(`select count(ledger.post_credit(user_id, 1000000000, 'topup', 'seed:' || user_id, '{}'))
      from ledger.wallet_balances`);
    await sql`vacuum analyze`;
    await Deno.writeTextFile(`${dir}/transfer.sql`, SCRIPT);
    const settings = await sql`select name, setting from pg_settings
      where name in ('fsync', 'synchronous_commit', 'wal_sync_method')`;
    console.log(
      `commit bench: 8 clients, ${ROUNDS} rounds of ${SECONDS} s; ${
        settings.map((s) => `${s.name}=${s.setting}`).join(", ")
      }; CPU: ${cpuModel()}; load ${loadAverage()}`,
    );
    const run = async (delay: number) => {
      await sql.unsafe(`alter system set commit_delay = ${delay}`);
      await sql.unsafe(`alter system set commit_siblings = 5`);
      await sql`select pg_reload_conf()`;
      const idle = serverChildren(cluster.dir);
      const before = await serverCpuMs(cluster.dir);
      const [file, argv] = asPostgres(`${findPgBin()}/pgbench`, [
        "-h",
        "127.0.0.1",
        "-p",
        String(cluster.port),
        "-U",
        "postgres",
        "-c",
        "8",
        "-j",
        "2",
        "-T",
        String(SECONDS),
        "-n",
        "-r",
        "-f",
        `${dir}/transfer.sql`,
        "postgres",
      ]); // deno-fmt-ignore
      const out = await new Deno.Command(file, { args: [...argv], cwd: dir, stdout: "piped", stderr: "piped" })
        .output();
      const text = new TextDecoder().decode(out.stdout);
      if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
      const done = Number(text.match(/number of transactions actually processed: (\d+)/)?.[1]);
      const cpu = (await serverCpuMs(cluster.dir, idle) - before) / done;
      const tps = Number(text.match(/tps = ([\d.]+)/)?.[1]);
      const latency = Number(text.match(/latency average = ([\d.]+)/)?.[1]);
      console.log(
        `  commit_delay ${String(delay).padStart(4)} µs: ${tps.toFixed(0).padStart(6)} transfers/s, ` +
          `mean latency ${latency.toFixed(2)} ms, server CPU ${
            cpu.toFixed(3)
          } ms/transfer (load ${loadAverage()})`,
      );
      return tps;
    };
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) ratios.push(await run(1000) / await run(0));
    console.log(`  commit_delay 1000 / 0: ${ratios.map((r) => r.toFixed(2)).join(", ")} (per round)`);
  } finally {
    await sql.end();
    await cluster.destroy();
  }
}

if (import.meta.main) await runCommitBench();
