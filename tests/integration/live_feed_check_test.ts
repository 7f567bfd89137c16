/**
 * The start-up check of live feeds: a NOTIFY sent through the app's pool must arrive on the LISTEN
 * connection. A misconfigured DATABASE_LISTEN_URL (here: another database, which like a transaction-mode
 * pooler accepts LISTEN and never delivers; or nothing listening at all) is reported, not silently dead.
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { freePort } from "../../local/postgres.ts";
import { checkNotifyRoundTrip } from "../../lib/db/listen.ts";

const databaseUrl = Deno.env.get("DATABASE_URL")!;
const notify = async (channel: string, payload: string) => {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db());
};

Deno.test("[live feeds] round trip — the test database's NOTIFY arrives on its LISTEN connection", async () => {
  const result = await checkNotifyRoundTrip(notify, databaseUrl, 3000);
  assert(result.ok, JSON.stringify(result));
});

Deno.test("[live feeds] misconfigured — LISTEN elsewhere never hears the app's NOTIFY, and says so", async () => {
  const elsewhere = new URL(databaseUrl);
  elsewhere.pathname = new URL(databaseUrl).pathname === "/template1" ? "/postgres" : "/template1";
  const result = await checkNotifyRoundTrip(notify, elsewhere.toString(), 800);
  assertEquals(result, { ok: false, error: "no NOTIFY arrived within 800 ms" });
});

Deno.test("[live feeds] unreachable — nothing listens at DATABASE_LISTEN_URL", async () => {
  const closed = new URL(databaseUrl);
  closed.port = String(freePort());
  const result = await checkNotifyRoundTrip(notify, closed.toString(), 1000);
  assert(!result.ok);
});
