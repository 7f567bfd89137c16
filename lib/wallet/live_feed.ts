/**
 * Live wallet changes for this process, through the `wallet_changed` LISTEN hub (lib/db/listen.ts): one
 * connection fanned out to the subscribers of each user. The ledger only announces watched wallets, so a
 * subscriber also registers a watch (lib/wallet/watch.ts) and renews it.
 */
import { listenHub } from "../db/listen.ts";

/** A wallet's state as announced by the ledger: money as decimal strings of rials. */
export interface WalletChange {
  user_id: string;
  balance: string;
  held: string;
  available: string;
  updated_at: string;
}

const hub = listenHub<WalletChange>("wallet_changed", (change) => [change.user_id]);

/** Calls `listener` with every announced change of `userId`'s wallet; resolves once listening. */
export function subscribeWallet(
  userId: string,
  listener: (change: WalletChange) => void,
): Promise<() => Promise<void>> {
  return hub.subscribe(userId, listener);
}
