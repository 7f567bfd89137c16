/** System accounts (gateway clearing, revenue, payouts, adjustments, fees, merchants) with their balances. */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";

export interface SystemAccount {
  code: string;
  name: string;
  /** Sum of the account's entries in rials (system accounts keep no balance row). */
  balance: bigint;
}

/** Every system account and its balance; run as service_role (the ledger health page). */
export async function systemAccounts(tx: Tx): Promise<SystemAccount[]> {
  const { rows } = await sql<{ code: string; name: string; balance: string }>`
    select a.code, a.name, coalesce(sum(e.amount), 0)::text as balance
    from ledger.accounts a left join ledger.entries e on e.account_id = a.id
    where a.kind = 'system'
    group by a.id, a.code, a.name
    order by a.id`.execute(tx);
  return rows.map((r) => ({ code: r.code, name: r.name, balance: BigInt(r.balance) }));
}
