/** Runs a private PostgreSQL cluster under a folder (default .local/pg) from the system's binaries. */
import { existsSync } from "node:fs";
import { findPgBin, hasPgCron } from "./pg_bin.ts";

export interface Cluster {
  url: string;
  port: number;
  dir: string;
  pgCron: boolean;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  dir: string;
  /** Trade durability for speed (fsync off): for throwaway test and bench clusters only. */
  ephemeral?: boolean;
  /** Load pg_cron when installed (default); false gives a server that needs the cron shim (tests). */
  pgCron?: boolean;
  log?: (line: string) => void;
}

const isRoot = () => Deno.uid() === 0;

/** Runs a binary as the `postgres` OS user when we are root (initdb and postgres refuse to run as root). */
async function run(cmd: string, args: string[], allowFail = false): Promise<{ ok: boolean; out: string }> {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const result = await new Deno.Command(file, { args: argv, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  if (!result.success && !allowFail) throw new Error(`${cmd} ${args.join(" ")} failed:\n${out}`);
  return { ok: result.success, out };
}

async function chownToPostgres(path: string) {
  if (isRoot()) await new Deno.Command("chown", { args: ["-R", "postgres:postgres", path] }).output();
}

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function portIsFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

/** Port of a postmaster that is still running from an earlier start (postmaster.pid line 4), if any. */
async function runningPort(bin: string, data: string): Promise<number | undefined> {
  if (!existsSync(`${data}/postmaster.pid`)) return undefined;
  const status = await run(`${bin}/pg_ctl`, ["status", "-D", data], true);
  if (!status.ok) return undefined;
  const lines = (await Deno.readTextFile(`${data}/postmaster.pid`)).split("\n");
  return Number(lines[3]);
}

function serverOptions(port: number, socketDir: string, pgCron: boolean, ephemeral: boolean): string {
  const opts = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    "-c shared_buffers=256MB",
  ];
  if (pgCron) opts.push("-c shared_preload_libraries=pg_cron", "-c cron.database_name=postgres");
  if (ephemeral) opts.push("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off");
  return opts.join(" ");
}

/** Starts (or reuses) the cluster in `dir`; creating it on first use. Idempotent. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const bin = findPgBin();
  const pgCron = (options.pgCron ?? true) && hasPgCron(bin);
  const dir = options.dir;
  const data = `${dir}/data`;
  await Deno.mkdir(dir, { recursive: true });
  await chownToPostgres(dir);
  if (!existsSync(`${data}/PG_VERSION`)) {
    log(`creating a PostgreSQL cluster in ${data}`);
    await run(`${bin}/initdb`, [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ]);
  }
  let port = await runningPort(bin, data);
  if (port) {
    log(`reusing the PostgreSQL server already running on port ${port}`);
  } else {
    const portFile = `${dir}/port`;
    const previous = existsSync(portFile) ? Number(await Deno.readTextFile(portFile)) : 0;
    port = previous && portIsFree(previous) ? previous : freePort();
    const opts = serverOptions(port, dir, pgCron, options.ephemeral ?? false);
    await run(`${bin}/pg_ctl`, [
      "start",
      "-w",
      "-t",
      "60",
      "-D",
      data,
      "-l",
      `${dir}/postgres.log`,
      "-o",
      opts,
    ]);
    await Deno.writeTextFile(portFile, String(port));
  }
  const stop = async () => {
    await run(`${bin}/pg_ctl`, ["stop", "-D", data, "-m", "fast", "-w"], true);
  };
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    dir,
    pgCron,
    stop,
  };
}
