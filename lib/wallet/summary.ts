/** A wallet's balances, as the owner (or staff with `wallet.view`) sees them at the top of the wallet page. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";
import { walletErrors } from "./errors.ts";

type BalanceRow = Selectable<DB["ledger.wallet_balances"]>;

export interface WalletSummary {
  userId: NonNullable<BalanceRow["user_id"]>;
  accountId: BalanceRow["account_id"];
  /** Sum of the wallet's entries, in rials. */
  balance: bigint;
  /** Reserved by pending withdrawals. */
  held: bigint;
  /** What can be spent, transferred or withdrawn now: balance - held. */
  available: bigint;
  updatedAt: BalanceRow["updated_at"];
}

/** The wallet of `userId` (default: the signed-in user). RLS decides who may read it: others get WalletNotFound. */
export async function walletSummary(tx: Tx, userId?: string): Promise<WalletSummary> {
  const row = await tx.selectFrom("ledger.wallet_balances as b")
    .select(["b.user_id", "b.account_id", "b.balance", "b.held", "b.updated_at"])
    .where("b.user_id", "=", sql<string>`coalesce(${userId ?? null}::uuid, auth.uid())`)
    .executeTakeFirst();
  if (!row?.user_id) throw walletErrors.refuse("wallet_not_found");
  const balance = BigInt(row.balance);
  const held = BigInt(row.held);
  return {
    userId: row.user_id,
    accountId: row.account_id,
    balance,
    held,
    available: balance - held,
    updatedAt: row.updated_at,
  };
}
