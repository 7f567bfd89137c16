/**
 * Database chores for local mode: `migrate` (shim + CLI migrations + seed), `reset` (drop everything and
 * rebuild), `gen-types` (Kysely types from the migrated schema into lib/db/types.ts; `--check` fails on drift).
 */
import postgres from "postgres";
import { loadConfig } from "../lib/config.ts";
import { startCluster } from "./postgres.ts";
import { migrate } from "./migrate.ts";

const root = new URL("..", import.meta.url).pathname;
const TYPES_FILE = `${root}lib/db/types.ts`;
const SCHEMAS = "(public|ledger|analytics|private)";

async function withDatabase<T>(
  fn: (url: string) => Promise<T>,
  options: { throwaway?: boolean } = {},
): Promise<T> {
  const configured = options.throwaway ? undefined : loadConfig().DATABASE_URL;
  if (configured) return await fn(configured);
  const dir = options.throwaway ? await Deno.makeTempDir({ prefix: "pishkhan-types-" }) : `${root}.local/pg`;
  const cluster = await startCluster({ dir, ephemeral: options.throwaway });
  try {
    return await fn(cluster.url);
  } finally {
    await cluster.stop();
    if (options.throwaway) await Deno.remove(dir, { recursive: true });
  }
}

/** Drops every schema the shim and migrations create, so `migrate` rebuilds from nothing. */
async function dropAll(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const extensions = await sql<
      { extname: string }[]
    >`select extname from pg_extension where extname <> 'plpgsql'`;
    for (const { extname } of extensions) await sql.unsafe(`drop extension if exists "${extname}" cascade`);
    const schemas = await sql<{ nspname: string }[]>`select nspname from pg_namespace
      where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg_temp%'
        and nspname not like 'pg_toast_temp%'`;
    for (const { nspname } of schemas) await sql.unsafe(`drop schema if exists "${nspname}" cascade`);
    await sql`create schema public`;
    await sql`grant all on schema public to public`;
  } finally {
    await sql.end();
  }
}

/** kysely-codegen runs under Node (it needs the `pg` driver and TypeScript as peers). */
async function generateTypes(url: string, outFile: string) {
  const plainUrl = url.replace("?sslmode=disable", "");
  const result = await new Deno.Command("npx", {
    args: [
      "-y",
      "-p",
      "kysely-codegen@0.20.0",
      "-p",
      "pg@8.16.3",
      "-p",
      "typescript@5.9.3",
      "-p",
      "kysely@0.29.9",
      "kysely-codegen",
      "--dialect",
      "postgres",
      "--url",
      plainUrl,
      "--out-file",
      outFile,
      "--default-schema",
      "public",
      "--include-pattern",
      `${SCHEMAS}.*`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) throw new Error(new TextDecoder().decode(result.stderr));
  await Deno.writeTextFile(outFile, await formatWithProjectConfig(await Deno.readTextFile(outFile)));
}

/** `deno fmt` with the project's settings wherever the file lives (stdin keeps the config applicable). */
async function formatWithProjectConfig(source: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--config", `${root}deno.json`, "--ext", "ts", "-"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  return new TextDecoder().decode((await child.output()).stdout);
}

const [command, flag] = Deno.args;
if (command === "migrate") {
  await withDatabase((url) => migrate(url, { seed: true }));
  console.log("migrations applied");
} else if (command === "reset") {
  await withDatabase(async (url) => {
    await dropAll(url);
    await migrate(url, { seed: true });
  });
  console.log("database reset and rebuilt");
} else if (command === "gen-types") {
  // Always from a fresh throwaway database, so the types describe the migrations and nothing else.
  const check = flag === "--check";
  const out = check ? `${await Deno.makeTempDir()}/types.ts` : TYPES_FILE;
  await withDatabase(async (url) => {
    await migrate(url);
    await generateTypes(url, out);
  }, { throwaway: true });
  if (check) {
    const drift = (await Deno.readTextFile(out)) !== (await Deno.readTextFile(TYPES_FILE));
    if (drift) {
      console.error("lib/db/types.ts is out of date with the migrations: run `deno task gen:types`.");
      Deno.exit(1);
    }
    console.log("lib/db/types.ts matches the migrations");
  } else {
    console.log(`wrote ${TYPES_FILE}`);
  }
} else {
  console.error("usage: db_cli.ts migrate | reset | gen-types [--check]");
  Deno.exit(2);
}
