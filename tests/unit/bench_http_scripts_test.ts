/**
 * bench:http measures what it says: every transfer its load sends is one the API accepts (an amount below
 * WALLET_MIN_TRANSFER_RIAL stopped every run at the warm-up with 422 below_minimum_transfer), and its SQL-only
 * baseline sends the statement the app sends (ledger.transfer_as with a token's claims and a recipient's
 * email), not an easier or a harder one.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { SQL_AS_SCRIPT, SQL_SCRIPT, wrkScript } from "../../bench/http_transfers.ts";
import { loadConfig } from "../../lib/config.ts";

const minimum = loadConfig({}).WALLET_MIN_TRANSFER_RIAL;

Deno.test("[bench http] wrk and pgbench send amounts the API accepts", () => {
  const lua = wrkScript([{ id: "u", email: "a@b.c", token: "t" }, { id: "v", email: "d@e.f", token: "s" }]);
  const amount = /"amount":%d}', users\[b\]\[2\], math\.random\((\d+), (\d+)\)\)/.exec(lua);
  assert(amount, "wrk's amount is math.random(low, high)");
  assert(Number(amount[1]) >= minimum, `wrk sends amounts from ${amount[1]}, the minimum is ${minimum}`);
  for (const script of [SQL_SCRIPT, SQL_AS_SCRIPT]) {
    const low = /\\set amount random\((\d+), \d+\)/.exec(script);
    assert(low && Number(low[1]) >= minimum, `pgbench sends amounts from ${low?.[1]}`);
  }
});

Deno.test("[bench http] the SQL-only baseline is the app's statement", async () => {
  const app = await Deno.readTextFile(new URL("../../lib/wallet/replay.ts", import.meta.url));
  const statement = "select transaction_id::text, created_at, created from ledger.transfer_as(";
  assertStringIncludes(app.replace(/\s+/g, " "), statement);
  assertStringIncludes(SQL_AS_SCRIPT.replace(/\s+/g, " "), statement);
  // The same claims (the token's payload, read from bench_users) and the recipient by email, as wrk sends.
  assertStringIncludes(SQL_AS_SCRIPT, "(select claims from public.bench_users where n = :a)");
  assertStringIncludes(SQL_AS_SCRIPT, "(select email from public.bench_users");
  assertEquals(/"to":"%s"/.test(wrkScript([])), true);
});
