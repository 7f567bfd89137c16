/**
 * Live wallet changes for this process. The ledger appends every change of a watched wallet to
 * ledger.wallet_changes instead of sending a NOTIFY (a NOTIFY serialises the commits of the postings that
 * send it; see supabase/migrations/20261201030100_wallet_change_log.sql). While this process has
 * subscribers, it reads that log every POLL_MS over one connection (ledger.wallet_changes_since) and fans
 * each change out to the subscribers of its user, in the order of the changes. A subscriber also registers a
 * watch (lib/wallet/watch.ts) and renews it: only watched wallets are logged.
 */
import postgres from "postgres";
import { config } from "../config.ts";
import { preparesStatements } from "../db/client.ts";

/** A wallet's state as announced by the ledger: money as decimal strings of rials. */
export interface WalletChange {
  user_id: string;
  balance: string;
  held: string;
  available: string;
  updated_at: string;
}

/** A logged change: its id in the log and the id of the transaction that wrote it (xid8, as text). */
interface LoggedChange extends WalletChange {
  id: string;
  xid: string;
}

/** How often the log is read while someone listens (the live feeds' latency budget is 100–250 ms). */
export const POLL_MS = 100;

type Listener = (change: WalletChange) => void;

const subscribers = new Map<string, Set<Listener>>();
let feed: { ready: Promise<void>; stop: () => Promise<void> } | undefined;

/**
 * Reads the log until stopped. The cursor is the xmin of the snapshot of the previous read: every
 * transaction below it had ended, so the rows it wrote were in that read; rows read again (xid ≥ cursor,
 * already delivered) are recognised by their id.
 */
function startFeed(): NonNullable<typeof feed> {
  const url = config().databaseUrl;
  const sql = postgres(url, { max: 1, onnotice: () => {}, prepare: preparesStatements(url) });
  const delivered = new Map<string, bigint>();
  let cursor = "0";
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;

  const read = async (since: string | null) => {
    const [row] = await sql<{ horizon: string; changes: LoggedChange[] }[]>`
      select horizon::text as horizon, changes from ledger.wallet_changes_since(${since}::xid8)`;
    return row;
  };
  const advance = (horizon: string) => {
    cursor = horizon;
    const below = BigInt(horizon);
    for (const [id, xid] of delivered) if (xid < below) delivered.delete(id);
  };
  const sleep = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, POLL_MS);
    });

  // What is in the log before the first subscriber listens is history: it is skipped, not delivered.
  const ready = (async () => {
    const start = await read(null);
    const present = await read(start.horizon);
    for (const change of present.changes) delivered.set(change.id, BigInt(change.xid));
    advance(present.horizon);
  })();

  const loop = (async () => {
    try {
      await ready;
    } catch {
      return;
    }
    while (!stopped) {
      await sleep();
      if (stopped) break;
      try {
        const { horizon, changes } = await read(cursor);
        for (const change of changes) {
          if (delivered.has(change.id)) continue;
          delivered.set(change.id, BigInt(change.xid));
          for (const listener of subscribers.get(change.user_id) ?? []) listener(change);
        }
        advance(horizon);
      } catch (error) {
        // The connection dropped or the database is restarting: postgres.js reconnects on the next read.
        if (!stopped) console.error(`wallet live feed: ${String((error as Error)?.message ?? error)}`);
      }
    }
  })();

  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
      await sql.end({ timeout: 1 }).catch(() => {});
    },
  };
}

/** Calls `listener` with every change of `userId`'s wallet, in order; resolves once the feed is reading. */
export async function subscribeWallet(userId: string, listener: Listener): Promise<() => Promise<void>> {
  const current = feed ??= startFeed();
  let set = subscribers.get(userId);
  if (!set) subscribers.set(userId, set = new Set());
  set.add(listener);
  const unsubscribe = async () => {
    const listeners = subscribers.get(userId);
    listeners?.delete(listener);
    if (listeners?.size === 0) subscribers.delete(userId);
    if (subscribers.size === 0 && feed === current) {
      feed = undefined;
      await current.stop();
    }
  };
  try {
    await current.ready;
  } catch (error) {
    // The database refused the first read: forget this feed so that the next subscriber starts a new one.
    set.delete(listener);
    if (set.size === 0) subscribers.delete(userId);
    if (feed === current) {
      feed = undefined;
      await current.stop();
    }
    throw error;
  }
  return unsubscribe;
}
