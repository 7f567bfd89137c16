/** `deno task bench`: every benchmark in bench/, one after another (each makes its own throwaway cluster). */
import { runLedgerBench } from "./ledger.ts";
import { runHttpBench } from "./http_transfers.ts";
import { runPaymentsBench } from "./payments.ts";
import { runTicketsBench } from "./tickets.ts";
import { runPagesBench } from "./pages.ts";

const benches: [string, () => Promise<unknown>][] = [
  ["ledger", runLedgerBench],
  ["http", runHttpBench],
  ["payments", runPaymentsBench],
  ["tickets", runTicketsBench],
  ["pages", runPagesBench],
];

for (const [name, run] of benches) {
  console.log(`\n== ${name} ==`);
  await run();
}
