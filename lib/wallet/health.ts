/** The ledger's health: broken invariants (none when healthy) and the system accounts' balances. */
import { asService } from "../db/client.ts";
import { checkInvariants, type InvariantProblem } from "./invariants.ts";
import { type SystemAccount, systemAccounts } from "./system_accounts.ts";

export interface LedgerHealth {
  problems: InvariantProblem[];
  accounts: SystemAccount[];
}

/** Runs ledger.check_invariants() now and reads the system accounts, as service_role (wallet.view callers). */
export async function ledgerHealth(): Promise<LedgerHealth> {
  return await asService(async (tx) => ({
    problems: await checkInvariants(tx),
    accounts: await systemAccounts(tx),
  }));
}
