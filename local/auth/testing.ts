/**
 * Serves the Auth emulator on a free 127.0.0.1 port behind the local gateway, for tests: a movable clock,
 * settings overrides, and the outbox mails sent to an address.
 */
import postgres from "postgres";
import { createGateway } from "../gateway.ts";
import { loadLocalKeys, type LocalKeys } from "../keys.ts";
import { listMessages, type OutboxMessage } from "../outbox/store.ts";
import type { AuthConfig } from "./config.ts";
import { createAuthEmulator } from "./mod.ts";

export interface ServedAuthEmulator {
  /** Gateway base URL: pass it to createClient(). */
  url: string;
  /** `<url>/auth/v1`. */
  authUrl: string;
  keys: LocalKeys;
  sql: postgres.Sql;
  /** Moves the emulator's clock forward. */
  advance(seconds: number): void;
  /** Auth emails sent to `recipient`, newest first. */
  mails(recipient: string): Promise<OutboxMessage[]>;
  stop(): Promise<void>;
}

/** Starts gateway + emulator against `databaseUrl` (default DATABASE_URL, set by `deno task test`). */
export async function serveAuthEmulator(
  config: Partial<AuthConfig> = {},
  databaseUrl = Deno.env.get("DATABASE_URL"),
): Promise<ServedAuthEmulator> {
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: run through `deno task test`.");
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  await sql.unsafe(await Deno.readTextFile(new URL("../sql/dev_outbox.sql", import.meta.url)));
  const keys = await loadLocalKeys();
  let offsetMs = 0;
  let handler: (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response> = () =>
    new Response("starting", { status: 503 });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (r, i) => handler(r, i));
  const url = `http://127.0.0.1:${server.addr.port}`;
  const auth = createAuthEmulator(
    { sql, keys, gatewayUrl: url, appUrl: "http://127.0.0.1:8000" },
    { config, now: () => new Date(Date.now() + offsetMs) },
  );
  const gateway = createGateway({ sql, keys, mounts: { "/auth/v1": auth } });
  handler = (request, info) => gateway.fetch(request, info);
  return {
    url,
    authUrl: `${url}/auth/v1`,
    keys,
    sql,
    advance: (seconds) => void (offsetMs += seconds * 1000),
    mails: async (recipient) => (await listMessages(sql, { recipient })).filter((m) => m.provider === "auth"),
    async stop() {
      await server.shutdown();
      await sql.end({ timeout: 2 });
    },
  };
}
