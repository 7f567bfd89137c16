/**
 * `deno task db:lint`: lints every PL/pgSQL function the migrations create, the way Supabase does
 * (`supabase db lint`, which runs the plpgsql_check extension), against a throwaway cluster with the
 * shim and migrations applied. Exits non-zero on any warning or error, and when plpgsql_check is missing:
 * a lint that cannot run must not look like a clean one.
 */
import postgres from "postgres";
import { startCluster } from "./postgres.ts";
import { applyMigrations, applyShim, supabaseCli } from "./migrate.ts";

async function schemaNames(url: string): Promise<Set<string>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Schemas that belong to an extension (pg_cron's `cron`, …) are the extension's code, not ours.
    const rows = await sql<{ nspname: string }[]>`
      select n.nspname from pg_namespace n
      where n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
        and not exists (select 1 from pg_depend d where d.classid = 'pg_namespace'::regclass
                        and d.objid = n.oid and d.deptype = 'e')`;
    return new Set(rows.map((r) => r.nspname));
  } finally {
    await sql.end();
  }
}

async function plpgsqlCheckAvailable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_available_extensions where name = 'plpgsql_check'`;
    return rows.length > 0;
  } finally {
    await sql.end();
  }
}

const dir = await Deno.makeTempDir({ prefix: "pishkhan-lint-" });
const cluster = await startCluster({ dir, ephemeral: true });
let failed = true;
try {
  if (!(await plpgsqlCheckAvailable(cluster.url))) {
    throw new Error(
      "the plpgsql_check extension is not installed (Debian: postgresql-15-plpgsql-check); cannot lint",
    );
  }
  // The schemas to lint are the ones the migrations add: whatever exists after them but not after the
  // platform shim (auth, extensions, vault, net, …), plus public, which both share. The CLI's own
  // bookkeeping schema is not ours either.
  await applyShim(cluster.url);
  const platform = await schemaNames(cluster.url);
  await applyMigrations(cluster.url);
  const created = [...await schemaNames(cluster.url)]
    .filter((s) => s === "public" || !platform.has(s))
    .filter((s) => !s.startsWith("supabase_"))
    .sort();
  console.log(`db lint: schemas ${created.join(", ")}`);
  let out: string;
  try {
    out = await supabaseCli(
      ["db", "lint", "--level", "warning", "--fail-on", "warning", "--schema", created.join(",")],
      cluster.url,
    );
  } catch (error) {
    // The CLI exits non-zero on findings (--fail-on warning) and on failures (e.g. no plpgsql_check).
    out = (error as Error).message;
    console.log(out);
    throw new Error("supabase db lint found problems (above)");
  }
  console.log(out.trim());
  // Belt and braces: findings are a JSON list of {function, issues}; any of them fails the lint.
  if (/"level":\s*"(warning|error)/.test(out)) throw new Error("supabase db lint reported issues");
  if (!created.every((s) => out.includes(`Linting schema: ${s}`))) {
    throw new Error("supabase db lint did not lint every schema");
  }
  failed = false;
  console.log("db lint: no warnings or errors");
} catch (error) {
  console.error(`db lint: FAILED: ${(error as Error).message}`);
} finally {
  await cluster.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
Deno.exit(failed ? 1 : 0);
