/** The ledger's self-check: every broken invariant as a row (none when healthy). */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { walletErrors } from "./errors.ts";

export interface InvariantProblem {
  /** e.g. unbalanced_transaction, wallet_balance_mismatch, negative_wallet, withdrawal_hold_mismatch. */
  problem: string;
  /** The transaction, account or withdrawal id concerned. */
  subject: string;
  detail: Record<string, unknown>;
}

/** Runs ledger.check_invariants() (service_role); an empty list means the ledger is consistent. */
export async function checkInvariants(tx: Tx): Promise<InvariantProblem[]> {
  return await walletErrors.mapping(async () => {
    const { rows } = await sql<
      InvariantProblem
    >`select problem, subject, detail from ledger.check_invariants()`
      .execute(tx);
    return rows;
  });
}
