/** Brings a database to the project's schema: Supabase shim (local only), CLI migrations, then seed. */
import postgres from "postgres";
import { LOCAL_SEND_SMS_HOOK_SECRET, LOCAL_ZARINPAL_MERCHANT_ID } from "../lib/config.ts";
import { merchantKeyOf } from "../lib/payments/context.ts";

const SUPABASE_CLI = "npm:supabase@2.117.0";
const root = new URL("..", import.meta.url).pathname;

/** Applies the platform shim; every object in it is created only where missing. */
export async function applyShim(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(await Deno.readTextFile(`${root}local/sql/supabase_shim.sql`));
    // pg_cron works only when the server preloads it; otherwise the worker runs the shim's jobs.
    const [{ cron_loaded, cron_present }] = await sql`
      select current_setting('shared_preload_libraries') ~ 'pg_cron' as cron_loaded,
             to_regnamespace('cron') is not null as cron_present`;
    if (!cron_loaded && !cron_present) {
      await sql.unsafe(await Deno.readTextFile(`${root}local/sql/cron_shim.sql`));
    }
  } finally {
    await sql.end();
  }
}

/** Runs the real Supabase CLI from npm against `databaseUrl` (e.g. `db push`, `migration list`). */
export async function supabaseCli(args: string[], databaseUrl?: string): Promise<string> {
  const full = [...args, ...(databaseUrl ? ["--db-url", databaseUrl] : []), "--workdir", root];
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SUPABASE_CLI, ...full],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: {
      SUPABASE_TELEMETRY_DISABLED: "1",
      DO_NOT_TRACK: "1",
      // config.toml's [auth.hook.send_sms] secrets = "env(SEND_SMS_HOOK_SECRET)": the CLI checks its format.
      SEND_SMS_HOOK_SECRET: Deno.env.get("SEND_SMS_HOOK_SECRET") || LOCAL_SEND_SMS_HOOK_SECRET,
    },
  }).output();
  const out = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  if (!result.success) throw new Error(`supabase ${args.join(" ")} failed:\n${out}`);
  return out;
}

/** Applies pending migrations with `supabase db push`, recording them in supabase_migrations.schema_migrations. */
export async function applyMigrations(databaseUrl: string): Promise<string> {
  return await supabaseCli(["db", "push", "--include-all", "--yes"], databaseUrl);
}

export async function applySeed(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // The demo wallet's top-ups belong to the local Zarinpal sandbox's merchant, keyed as the app keys it.
    await sql`select set_config('pishkhan.merchant_key', ${await merchantKeyOf(
      LOCAL_ZARINPAL_MERCHANT_ID,
    )}, false)`;
    await sql.unsafe(await Deno.readTextFile(`${root}supabase/seed.sql`));
  } finally {
    await sql.end();
  }
}

/** Shim, migrations and (optionally) seed, in that order. */
export async function migrate(databaseUrl: string, options: { seed?: boolean } = {}): Promise<void> {
  await applyShim(databaseUrl);
  await applyMigrations(databaseUrl);
  if (options.seed) await applySeed(databaseUrl);
}
