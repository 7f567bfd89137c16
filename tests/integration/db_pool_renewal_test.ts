import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, openDatabase, poolsOpened } from "../../lib/db/client.ts";

const url = () => Deno.env.get("DATABASE_URL")!;

Deno.test("[db pool] a transaction open across a renewal keeps its connection and commits", async () => {
  const database = openDatabase(url(), { max: 2, reservationsPerPool: 3 });
  try {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => open = resolve);
    const held = asService(async (tx) => {
      const first = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0].pid;
      await gate;
      // Runs after the pool this connection came from was replaced: it must still be open.
      const again = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0].pid;
      return [first, again];
    }, database);
    for (let i = 0; i < 8; i++) await sql`select 1`.execute(database);
    assert(poolsOpened(database) > 1, "renewed");
    open();
    const [first, again] = await held;
    assertEquals(again, first);
    assertEquals((await sql<{ one: number }>`select 1 as one`.execute(database)).rows[0].one, 1);
  } finally {
    await database.destroy();
  }
});
