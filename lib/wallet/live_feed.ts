/**
 * Live wallet changes for this process: one LISTEN connection on `wallet_changed` (opened with the first
 * subscriber, closed with the last) fanned out in memory to the subscribers of each user. The ledger only
 * announces watched wallets, so a subscriber also registers a watch (lib/wallet/watch.ts) and renews it.
 */
import postgres from "postgres";
import { config } from "../config.ts";

/** A wallet's state as announced by the ledger: money as decimal strings of rials. */
export interface WalletChange {
  user_id: string;
  balance: string;
  held: string;
  available: string;
  updated_at: string;
}

type Listener = (change: WalletChange) => void;

const subscribers = new Map<string, Set<Listener>>();
let connection: { sql: postgres.Sql; ready: Promise<unknown> } | undefined;

function dispatch(payload: string) {
  let change: WalletChange;
  try {
    change = JSON.parse(payload);
  } catch {
    return;
  }
  for (const listener of subscribers.get(change.user_id) ?? []) listener(change);
}

function open() {
  const sql = postgres(config().databaseUrl, { max: 1, onnotice: () => {} });
  return { sql, ready: sql.listen("wallet_changed", dispatch) };
}

/** Calls `listener` with every announced change of `userId`'s wallet; resolves once listening. */
export async function subscribeWallet(userId: string, listener: Listener): Promise<() => Promise<void>> {
  connection ??= open();
  const current = connection;
  let set = subscribers.get(userId);
  if (!set) subscribers.set(userId, set = new Set());
  set.add(listener);
  const unsubscribe = async () => {
    const listeners = subscribers.get(userId);
    listeners?.delete(listener);
    if (listeners?.size === 0) subscribers.delete(userId);
    if (subscribers.size === 0 && connection === current) {
      connection = undefined;
      await current.sql.end({ timeout: 1 }).catch(() => {});
    }
  };
  try {
    await current.ready;
  } catch (error) {
    // The database refused the LISTEN: forget this connection so the next subscriber opens a new one.
    await unsubscribe();
    if (connection === current) {
      connection = undefined;
      await current.sql.end({ timeout: 1 }).catch(() => {});
    }
    throw error;
  }
  return unsubscribe;
}
