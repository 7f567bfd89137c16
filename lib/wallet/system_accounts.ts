/** System accounts (gateway clearing, revenue, payouts, adjustments, fees, merchants) with their balances. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";

type AccountRow = Selectable<DB["ledger.accounts"]>;

export interface SystemAccount {
  /** Always set for system accounts (only wallets have none). */
  code: NonNullable<AccountRow["code"]>;
  name: AccountRow["name"];
  /** Sum of the account's entries in rials (system accounts keep no balance row). */
  balance: bigint;
}

/** Every system account and its balance; run as service_role (the ledger health page). */
export async function systemAccounts(tx: Tx): Promise<SystemAccount[]> {
  const rows = await tx.selectFrom("ledger.accounts as a")
    .leftJoin("ledger.entries as e", "e.account_id", "a.id")
    .select(["a.code", "a.name", sql<string>`coalesce(sum(e.amount), 0)::text`.as("balance")])
    .where("a.kind", "=", "system")
    .groupBy(["a.id", "a.code", "a.name"])
    .orderBy("a.id")
    .$narrowType<{ code: string }>()
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, balance: BigInt(r.balance) }));
}
