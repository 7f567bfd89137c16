/**
 * Live wallet changes for this process. The ledger appends every change of a watched wallet to
 * ledger.wallet_changes instead of sending a NOTIFY (a NOTIFY serialises the commits of the postings that
 * send it; see supabase/migrations/20261201030100_wallet_change_log.sql). While this process has
 * subscribers, the change-log reader (lib/db/change_log.ts) reads that log every POLL_MS over one connection
 * (ledger.wallet_changes_since) and fans each change out to the subscribers of its user, in the order of the
 * changes. A subscriber also registers a watch (lib/wallet/watch.ts) and renews it: only watched wallets are
 * logged.
 */
import { changeLogHub, type LoggedChange } from "../db/change_log.ts";

export { POLL_MS } from "../db/change_log.ts";

/** A wallet's state as announced by the ledger: money as decimal strings of rials. */
export interface WalletChange {
  user_id: string;
  balance: string;
  held: string;
  available: string;
  updated_at: string;
}

const hub = changeLogHub<WalletChange & LoggedChange>("wallet live feed", async (sql, since) => {
  const [row] = await sql<{ horizon: string; changes: (WalletChange & LoggedChange)[] }[]>`
    select horizon::text as horizon, changes from ledger.wallet_changes_since(${since}::xid8)`;
  return row;
}, (change) => [change.user_id]);

/** Calls `listener` with every change of `userId`'s wallet, in order; resolves once the feed is reading. */
export function subscribeWallet(
  userId: string,
  listener: (change: WalletChange) => void,
): Promise<() => Promise<void>> {
  return hub.subscribe(userId, listener);
}
