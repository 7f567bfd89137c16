// Runs last (tests/run.ts), after every other suite wrote to the shared test database.
import { assertLedgerInvariants } from "../_support/invariants.ts";

Deno.test("[ledger] whole run — after every suite, the ledger still balances and no wallet is negative", async () => {
  await assertLedgerInvariants();
});
