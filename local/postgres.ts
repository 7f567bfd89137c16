/** Runs a private PostgreSQL cluster under a folder (default .local/pg) from the system's binaries. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { findPgBin, hasPgCron } from "./pg_bin.ts";

export interface Cluster {
  url: string;
  port: number;
  /** Where the cluster really lives: the requested folder, or its stand-in (see clusterLocation). */
  dir: string;
  pgCron: boolean;
  stop(): Promise<void>;
  /** Stops the server and deletes the cluster (and the requested folder): for throwaway clusters. */
  destroy(): Promise<void>;
}

export interface ClusterOptions {
  dir: string;
  /** Trade durability for speed (fsync off): for throwaway test and bench clusters only. */
  ephemeral?: boolean;
  /** Load pg_cron when installed (default); false gives a server that needs the cron shim (tests). */
  pgCron?: boolean;
  /** Extra server settings (`name=value`), e.g. pg_stat_statements for the benches' profiles. */
  settings?: string[];
  log?: (line: string) => void;
}

const isRoot = () => Deno.uid() === 0;

/**
 * Runs a binary as the `postgres` OS user when we are root (initdb and postgres refuse to run as root), from
 * `/` so that user never needs to enter our working directory.
 */
async function run(cmd: string, args: string[], allowFail = false): Promise<{ ok: boolean; out: string }> {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const result = await new Deno.Command(file, { args: argv, cwd: "/", stdout: "piped", stderr: "piped" })
    .output();
  const out = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  if (!result.success && !allowFail) throw new Error(`${cmd} ${args.join(" ")} failed:\n${out}`);
  return { ok: result.success, out };
}

async function chownToPostgres(path: string) {
  if (isRoot()) await new Deno.Command("chown", { args: ["-R", "postgres:postgres", path] }).output();
}

/** Whether the `postgres` OS user can enter and write `dir` (every parent folder must let it through). */
export function postgresCanReach(dir: string): boolean {
  const check = new Deno.Command("runuser", {
    args: ["-u", "postgres", "--", "test", "-x", dir, "-a", "-w", dir],
    cwd: "/",
    stdout: "null",
    stderr: "null",
  });
  return check.outputSync().success;
}

/** The file in the requested folder that names the stand-in folder the cluster lives in. */
export const LOCATION_FILE = "LOCATION";

/** The stand-in for `dir` when the `postgres` user cannot reach it: one per requested path, under /var/tmp. */
export function standInFor(dir: string, base = "/var/tmp"): string {
  const hash = createHash("sha256").update(resolve(dir)).digest("hex").slice(0, 16);
  return `${base}/pishkhan-${hash}/pg`;
}

/**
 * Where the cluster for the requested folder lives. As a normal user, or as root when the `postgres` user can
 * reach the folder, that is the folder itself. As root inside a folder the `postgres` user cannot enter (a
 * checkout in /root or in a `mktemp -d` folder: 0700 parents) it is a stand-in under /var/tmp named after the
 * folder's path, remembered in `<dir>/LOCATION` so start, stop and reuse find the same cluster every time.
 */
export function clusterLocation(dir: string, canReach: (dir: string) => boolean = postgresCanReach): string {
  dir = resolve(dir);
  if (!isRoot()) return dir;
  const remembered = `${dir}/${LOCATION_FILE}`;
  if (existsSync(remembered)) {
    const location = readFileSync(remembered, "utf8").trim();
    if (location) return location;
  }
  return canReach(dir) ? dir : standInFor(dir);
}

/** Creates the stand-in folder, refusing one somebody other than root or `postgres` made first. */
async function prepareStandIn(dir: string, location: string) {
  const parent = resolve(location, "..");
  await Deno.mkdir(parent, { recursive: true, mode: 0o755 });
  const postgresUid = Number(
    new TextDecoder().decode(
      (await new Deno.Command("id", { args: ["-u", "postgres"], stdout: "piped" }).output()).stdout,
    ).trim(),
  );
  const owner = statSync(parent).uid;
  if (owner !== 0 && owner !== postgresUid) {
    throw new Error(`${parent} belongs to uid ${owner}, not root or postgres: remove it, then start again.`);
  }
  await Deno.mkdir(location, { recursive: true });
  await Deno.writeTextFile(`${dir}/${LOCATION_FILE}`, location + "\n");
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

function serverOptions(
  port: number,
  socketDir: string,
  pgCron: boolean,
  ephemeral: boolean,
  settings: string[] = [],
): string {
  const opts = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    "-c shared_buffers=256MB",
  ];
  if (pgCron) opts.push("-c shared_preload_libraries=pg_cron", "-c cron.database_name=postgres");
  if (ephemeral) opts.push("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off");
  const preload = settings.filter((s) => s.startsWith("shared_preload_libraries="));
  if (pgCron && preload.length) {
    // One shared_preload_libraries setting: the extra libraries join pg_cron's.
    opts.splice(opts.indexOf("-c shared_preload_libraries=pg_cron"), 1);
    settings = settings.map((s) => s.startsWith("shared_preload_libraries=") ? `${s},pg_cron` : s);
  }
  for (const setting of settings) opts.push(`-c ${setting}`);
  return opts.join(" ");
}

/** Starts (or reuses) the cluster in `dir`; creating it on first use. Idempotent. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const bin = findPgBin();
  const pgCron = (options.pgCron ?? true) && hasPgCron(bin);
  const requested = resolve(options.dir);
  await Deno.mkdir(requested, { recursive: true });
  await chownToPostgres(requested);
  const dir = clusterLocation(requested);
  if (dir !== requested) {
    log(`the postgres user cannot reach ${requested}: the cluster lives in ${dir}`);
    await prepareStandIn(requested, dir);
    await chownToPostgres(dir);
  }
  const data = `${dir}/data`;
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
    const opts = serverOptions(port, dir, pgCron, options.ephemeral ?? false, options.settings);
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
  const destroy = async () => {
    await stop();
    for (const path of new Set([dir, requested])) {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    }
    if (dir !== requested) await Deno.remove(resolve(dir, ".."), { recursive: true }).catch(() => {});
  };
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    dir,
    pgCron,
    stop,
    destroy,
  };
}
