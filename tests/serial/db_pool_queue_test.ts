// Runs alone after the parallel suite (tests/run.ts): it times reservations, which the suite's load would blur.
import { assert } from "@std/assert";
import postgres from "postgres";
import { RenewedPool } from "../../lib/db/client.ts";

const url = () => Deno.env.get("DATABASE_URL")!;

/** Microseconds per reserve and release, in the quietest of `windows` windows of `size` (the machine is shared). */
async function reserveCost(reserve: () => Promise<postgres.ReservedSql>, windows: number, size: number) {
  let best = Infinity;
  for (let w = 0; w < windows; w++) {
    const started = performance.now();
    for (let i = 0; i < size; i++) (await reserve()).release();
    best = Math.min(best, (performance.now() - started) * 1000 / size);
  }
  return best;
}

Deno.test("[db pool] a reservation costs the same after 150,000 as at first (postgres.js's idle queue grows)", async () => {
  const open = () => postgres(url(), { max: 4, onnotice: () => {} });
  const raw = open();
  const renewed = new RenewedPool(open, 20_000);
  try {
    const cost = async (reserve: () => Promise<postgres.ReservedSql>) => {
      // Four connections open and idle, as in an app under light load.
      const warm = await Promise.all([1, 2, 3, 4].map(() => reserve()));
      for (const connection of warm) connection.release();
      const first = await reserveCost(reserve, 5, 2_000);
      for (let i = 0; i < 150_000; i++) (await reserve()).release();
      return { first, later: await reserveCost(reserve, 5, 2_000) };
    };
    const before = await cost(() => raw.reserve());
    const after = await cost(() => renewed.reserve());
    console.log(
      `postgres.js pool: ${before.first.toFixed(1)} -> ${before.later.toFixed(1)} µs; ` +
        `renewed: ${after.first.toFixed(1)} -> ${after.later.toFixed(1)} µs`,
    );
    // The upstream growth this works around (alone: 1.8 -> 22.5 µs; if postgres.js fixes it, RenewedPool can
    // go). Compared after use, not against its own first window: under a loaded CI machine the first window
    // is blurred too (9.7 -> 13.7 µs was seen), while the renewed pool stays an order of magnitude cheaper.
    assert(
      after.later * 2 < before.later,
      `after 150,000 reservations a renewed pool's costs less than half postgres.js's: ${
        JSON.stringify({ before, after })
      }`,
    );
    assert(
      after.later < 2 * after.first,
      `a renewed pool's reservation stays cheap: ${JSON.stringify(after)}`,
    );
  } finally {
    await raw.end();
    await renewed.end();
  }
});
