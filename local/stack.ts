/**
 * The local stack in one process: gateway (:54321 by default) with functions, auth and provider sandboxes,
 * the worker, and the web app (:8000). Used by `deno task start` and by the e2e tests (on free ports).
 */
import postgres from "postgres";
import type { Hono } from "hono";
import { createGateway } from "./gateway.ts";
import { loadConfig, setConfig } from "../lib/config.ts";
import { loadLocalKeys, type LocalKeys } from "./keys.ts";
import { startWorker } from "./worker.ts";

export interface StackOptions {
  databaseUrl: string;
  gatewayPort: number;
  appPort: number;
  keyFile?: string;
  /** Where the Storage stand-in keeps object bytes (default .local/storage; tests pass a temp dir). */
  storageRoot?: string;
  /** Extra gateway mounts contributed by local stand-ins (auth emulator, provider sandboxes). */
  mounts?: (
    ctx: { sql: postgres.Sql; keys: LocalKeys; gatewayUrl: string; appUrl: string; storageRoot?: string },
  ) => Promise<Record<string, Hono>>;
}

export interface Stack {
  gatewayUrl: string;
  appUrl: string;
  keys: LocalKeys;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The variables the app (and `.local/supabase.env`) get in local mode. */
export function localEnv(keys: LocalKeys, databaseUrl: string, gatewayUrl: string, appUrl: string) {
  return {
    SUPABASE_URL: gatewayUrl,
    PISHKHAN_LOCAL_STACK: "1",
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
    SUPABASE_PUBLISHABLE_KEY: keys.publishableKey,
    SUPABASE_SECRET_KEY: keys.secretKey,
    DATABASE_URL: databaseUrl,
    APP_URL: appUrl,
  };
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const keys = await loadLocalKeys(options.keyFile);
  const gatewayUrl = `http://127.0.0.1:${options.gatewayPort}`;
  const appUrl = `http://127.0.0.1:${options.appPort}`;
  const env = localEnv(keys, options.databaseUrl, gatewayUrl, appUrl);
  // The app reads its configuration from the environment on import, so set it first.
  for (const [name, value] of Object.entries(env)) Deno.env.set(name, value);
  // A second stack in the same process (tests) must not keep the first one's URLs.
  setConfig(loadConfig());

  const sql = postgres(options.databaseUrl, { max: 5, onnotice: () => {} });
  // Stacks may start at once from parallel test files; concurrent DDL on one catalogue row would fail.
  const outboxSql = await Deno.readTextFile(new URL("./sql/dev_outbox.sql", import.meta.url));
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('pishkhan:dev_outbox'))`;
    await tx.unsafe(outboxSql);
  });
  const ctx = { sql, keys, gatewayUrl, appUrl, storageRoot: options.storageRoot };
  const gateway = createGateway({ sql, keys, mounts: await options.mounts?.(ctx) });
  const { default: app } = await import("../main.ts");

  const abort = new AbortController();
  const serve = (port: number, fetch: (r: Request) => Response | Promise<Response>) =>
    Deno.serve({ hostname: "127.0.0.1", port, signal: abort.signal, onListen: () => {} }, fetch);
  const servers: ReturnType<typeof serve>[] = [];
  try {
    servers.push(serve(options.gatewayPort, gateway.fetch), serve(options.appPort, app.fetch));
  } catch (error) {
    // A port taken meanwhile (free ports are only free when picked): stop what did start, let the caller retry.
    abort.abort();
    await Promise.all(servers.map((s) => s.finished));
    await sql.end({ timeout: 2 });
    throw error;
  }
  // Where pg_cron is installed it runs the jobs itself; the worker runs them only for the cron shim.
  const [{ shim }] = await sql<{ shim: boolean }[]>`
    select not exists (select from pg_extension where extname = 'pg_cron') as shim`;
  const worker = await startWorker(sql, { cronShim: shim });
  return {
    gatewayUrl,
    appUrl,
    keys,
    env,
    async stop() {
      await worker.stop();
      abort.abort();
      await Promise.all(servers.map((s) => s.finished));
      const { closeDb } = await import("../lib/db/client.ts");
      await closeDb();
      await sql.end({ timeout: 2 });
    },
  };
}
