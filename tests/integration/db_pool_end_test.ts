// Closing a pool while a transaction still holds a connection (the hang seen in the auth flow tests while a
// dispatcher sent: the stack's stop() closed the app pool while notifications-dispatch, whose caller had gone,
// was inside its claim transaction; postgres.js's end() never settles for a connection reserved when it is
// called, so stop() waited for ever).
import { assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, openDatabase } from "../../lib/db/client.ts";

/** Resolves with `value`, or with "timed out" after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | "timed out"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<"timed out">((resolve) => timer = setTimeout(() => resolve("timed out"), ms)),
  ]);
}

Deno.test("[db pool] destroy() during a transaction waits for it, then ends (it hung for ever before)", async () => {
  const database = openDatabase(Deno.env.get("DATABASE_URL")!, { max: 2 });
  await sql`select 1`.execute(database); // as in the app: Kysely's driver is in use, so destroy() ends the pool
  let inside!: () => void;
  const entered = new Promise<void>((resolve) => inside = resolve);
  const transaction = asService(async (tx) => {
    inside();
    const { rows } = await sql<{ one: number }>`select 1 as one from pg_sleep(0.3)`.execute(tx);
    return rows[0].one;
  }, database);
  await entered;
  const closing = database.destroy();
  // The transaction that held its connection when the pool was closed still commits.
  assertEquals(await within(transaction, 10_000), 1);
  assertEquals(await within(closing.then(() => "closed"), 10_000), "closed", "destroy() settles");
});
