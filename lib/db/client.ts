/** The one data path: Kysely over postgres.js, with RLS-scoped user transactions and explicit service ones. */
import { Kysely, sql, type Transaction } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { config } from "../config.ts";
import type { DB } from "./types.ts";

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;

/** Verified JWT claims as Supabase puts them in `request.jwt.claims`. */
export interface Claims {
  sub?: string;
  role: string;
  [claim: string]: unknown;
}

const DATABASE_ROLES = new Set(["anon", "authenticated", "service_role"]);

/** Opens a pool; `prepare: false` keeps it usable behind Supavisor's transaction mode. */
export function openDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = postgres(url, {
    max: options.max ?? 10,
    prepare: !/pooler\.supabase\.com/.test(url),
    onnotice: () => {},
    connection: { application_name: "pishkhan" },
  });
  return new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: pool }) });
}

let shared: Database | undefined;

/** The process-wide pool for the configured DATABASE_URL. */
export function db(): Database {
  return shared ??= openDatabase(config().databaseUrl, { max: config().DATABASE_POOL_SIZE });
}

/** Closes the process-wide pool (tests and shutdown). */
export async function closeDb(): Promise<void> {
  await shared?.destroy();
  shared = undefined;
}

/**
 * Runs `fn` in a transaction as the claims' role with `request.jwt.claims` set, exactly as Supabase's
 * API does, so RLS applies. The claims must come from a verified JWT.
 */
export async function asUser<T>(claims: Claims, fn: (tx: Tx) => Promise<T>, database = db()): Promise<T> {
  const role = DATABASE_ROLES.has(claims.role) ? claims.role : "anon";
  return await database.transaction().execute(async (tx) => {
    await sql`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
                     set_config('role', ${role}, true)`.execute(tx);
    return await fn(tx);
  });
}

/** Runs `fn` as `service_role` (bypasses RLS). The reviewed exception: webhooks, cron, admin services. */
export async function asService<T>(fn: (tx: Tx) => Promise<T>, database = db()): Promise<T> {
  return await database.transaction().execute(async (tx) => {
    await sql`select set_config('request.jwt.claims', '{"role":"service_role"}', true),
                     set_config('role', 'service_role', true)`.execute(tx);
    return await fn(tx);
  });
}

/** True when the database answers (health checks). */
export async function ping(database = db()): Promise<boolean> {
  try {
    await sql`select 1`.execute(database);
    return true;
  } catch {
    return false;
  }
}
