/**
 * Ledger invariants (balanced postings, balances that match their entries, no negative wallet), asserted at
 * the end of every integration test file that moves money.
 */
import { sql } from "kysely";
import { assertEquals } from "@std/assert";
import { db } from "../../lib/db/client.ts";

/**
 * Entries sum to zero per transaction (with at least two legs), every wallet balance row equals the sum of
 * its entries and its held amount the sum of its active holds, and no wallet is negative; then the ledger's
 * own ledger.check_invariants() must agree. One repeatable-read snapshot, so concurrent tests cannot tear it.
 */
export async function assertLedgerInvariants(): Promise<void> {
  const found = await db().transaction().setIsolationLevel("repeatable read").execute(async (tx) => {
    const unbalanced = await sql<{ id: string; total: string; legs: string }>`
      select t.id::text, coalesce(sum(e.amount), 0)::text as total, count(e.amount)::text as legs
      from ledger.transactions t left join ledger.entries e on e.transaction_id = t.id
      group by t.id having coalesce(sum(e.amount), 0) <> 0 or count(e.amount) < 2`.execute(tx);
    const mismatched = await sql<{ account_id: string; balance: string; entries: string }>`
      select b.account_id::text, b.balance::text, coalesce(e.total, 0)::text as entries
      from ledger.wallet_balances b
      left join (select account_id, sum(amount) as total from ledger.entries group by account_id) e
        on e.account_id = b.account_id
      where b.balance <> coalesce(e.total, 0)`.execute(tx);
    const heldMismatch = await sql<{ account_id: string }>`
      select b.account_id::text from ledger.wallet_balances b
      left join (select account_id, sum(amount) as total from ledger.holds where status = 'active'
                 group by account_id) h on h.account_id = b.account_id
      where b.held <> coalesce(h.total, 0)`.execute(tx);
    const negative = await sql<{ account_id: string }>`select account_id::text from ledger.wallet_balances
      where balance < 0 or held < 0 or balance - held < 0`.execute(tx);
    const reported = await sql<{ problem: string; subject: string }>`select problem, subject
      from ledger.check_invariants()`.execute(tx);
    return {
      unbalanced: unbalanced.rows,
      mismatched: mismatched.rows,
      heldMismatch: heldMismatch.rows,
      negative: negative.rows,
      reported: reported.rows,
    };
  });
  assertEquals(found, { unbalanced: [], mismatched: [], heldMismatch: [], negative: [], reported: [] });
}
