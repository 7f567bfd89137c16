/** Single-row reads the API answers with after a write, built on the wallet's list functions (RLS applies). */
import type { Tx } from "../db/client.ts";
import { encodeCursor } from "../wallet/cursor.ts";
import { walletErrors } from "../wallet/errors.ts";
import { listWithdrawals, type Withdrawal } from "../wallet/withdrawals.ts";

/** The withdrawal `id` as the caller may see it: the newest one below id + 1, if that is it. */
export async function withdrawalById(tx: Tx, id: string): Promise<Withdrawal> {
  const { withdrawals } = await listWithdrawals(tx, {
    cursor: encodeCursor([String(BigInt(id) + 1n)]),
    limit: 1,
  });
  if (withdrawals[0]?.id !== id) throw walletErrors.refuse("withdrawal_not_found");
  return withdrawals[0];
}
