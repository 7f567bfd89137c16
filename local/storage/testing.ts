/**
 * Serves the Storage stand-in with the Auth emulator behind the local gateway on a free 127.0.0.1 port, for
 * tests: bytes in a temp folder and a movable clock (signed-URL expiry).
 */
import postgres from "postgres";
import { createAuthEmulator } from "../auth/mod.ts";
import { createGateway } from "../gateway.ts";
import { loadLocalKeys, type LocalKeys } from "../keys.ts";
import { createStorageEmulator } from "./mod.ts";

export interface ServedStorage {
  /** Gateway base URL: pass it to createClient(). */
  url: string;
  keys: LocalKeys;
  /** A superuser connection (policies, checks on storage.objects). */
  sql: postgres.Sql;
  /** The byte store's folder. */
  root: string;
  /** Moves the stand-in's clock forward. */
  advance(seconds: number): void;
  stop(): Promise<void>;
}

/** Starts gateway + Auth emulator + Storage stand-in against DATABASE_URL (set by `deno task test`). */
export async function serveStorage(): Promise<ServedStorage> {
  const databaseUrl = Deno.env.get("DATABASE_URL");
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: run through `deno task test`.");
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  await sql.unsafe(await Deno.readTextFile(new URL("../sql/dev_outbox.sql", import.meta.url)));
  const keys = await loadLocalKeys();
  const root = await Deno.makeTempDir({ prefix: "pishkhan-storage-test-" });
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  let handler: (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response> = () =>
    new Response("starting", { status: 503 });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (r, i) => handler(r, i));
  const url = `http://127.0.0.1:${server.addr.port}`;
  const auth = createAuthEmulator({ sql, keys, gatewayUrl: url, appUrl: "http://127.0.0.1:8000" });
  const storage = createStorageEmulator({ sql, keys, root, now });
  const gateway = createGateway({ sql, keys, mounts: { "/auth/v1": auth, "/storage/v1": storage } });
  handler = (request, info) => gateway.fetch(request, info);
  return {
    url,
    keys,
    sql,
    root,
    advance: (seconds) => void (offsetMs += seconds * 1000),
    async stop() {
      await server.shutdown();
      await sql.end({ timeout: 2 });
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}
