/** Finds the PostgreSQL server binaries (initdb, pg_ctl, postgres) on this machine. */
import { existsSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

export class PostgresNotFound extends Error {
  constructor() {
    super(
      "PostgreSQL 15+ server binaries were not found. Install them (Debian/Ubuntu: `apt-get install postgresql`), " +
        "point PG_BIN at the folder holding initdb and pg_ctl, or set DATABASE_URL to an existing database.",
    );
  }
}

function hasServer(dir: string): boolean {
  return existsSync(`${dir}/initdb`) && existsSync(`${dir}/pg_ctl`) && existsSync(`${dir}/postgres`);
}

function fromPgConfig(): string | undefined {
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim();
  } catch {
    return undefined;
  }
}

function fromPath(): string | undefined {
  return (Deno.env.get("PATH") ?? "").split(":").find((dir) => dir && hasServer(dir));
}

function fromDebianLayout(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => `${root}/${v}/bin`).find(hasServer);
}

/** The first folder with server binaries: PG_BIN, pg_config, PATH, then /usr/lib/postgresql/<newest>/bin. */
export function findPgBin(): string {
  const candidates = [Deno.env.get("PG_BIN"), fromPgConfig(), fromPath(), fromDebianLayout()];
  const found = candidates.find((dir): dir is string => !!dir && hasServer(dir));
  if (!found) throw new PostgresNotFound();
  return found;
}

/** Where the server's extension libraries live, to tell whether pg_cron is installed. */
export function hasPgCron(bin: string): boolean {
  try {
    const libdir = execFileSync(`${bin}/pg_config`, ["--pkglibdir"], { encoding: "utf8" }).trim();
    return existsSync(`${libdir}/pg_cron.so`);
  } catch {
    const version = bin.match(/postgresql\/(\d+)\//)?.[1];
    return !!version && existsSync(`/usr/lib/postgresql/${version}/lib/pg_cron.so`);
  }
}
