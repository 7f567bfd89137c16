/**
 * A polled change log for this process: the live feeds whose announcements are written by money
 * transactions (wallet changes, the bell's new notifications) read an unlogged log table instead of LISTENing,
 * because a NOTIFY serialises the commits of the transactions that send it (see
 * supabase/migrations/20261201030100_wallet_change_log.sql). While the hub has subscribers, it reads its log
 * every POLL_MS over ONE connection, with the log's `<log>_since(cursor)` function (rows as {id, xid, …}, the
 * next cursor as `horizon`), and fans each row out, in the log's order, to the subscribers of the keys
 * `keysOf` names for it.
 */
import postgres from "postgres";
import { config } from "../config.ts";
import { preparesStatements } from "./client.ts";
import { keyedListeners, type ListenHub } from "./listen.ts";

/** A logged row: its id in the log and the id of the transaction that wrote it (xid8), both as text. */
export interface LoggedChange {
  id: string;
  xid: string;
}

/** One read of a log: the rows of transactions with xid ≥ since (oldest first) and the next cursor. */
export type ReadLog<E> = (
  sql: postgres.Sql,
  since: string | null,
) => Promise<{ horizon: string; changes: E[] }>;

/** How often a log is read while someone listens (the live feeds' latency budget is 100–250 ms). */
export const POLL_MS = 100;

/**
 * Reads the log until stopped. The cursor is the xmin of the snapshot of the previous read: every
 * transaction below it had ended, so the rows it wrote were in that read; rows read again (xid ≥ cursor,
 * already delivered) are recognised by their id.
 */
function startReader<E extends LoggedChange>(name: string, read: ReadLog<E>, deliver: (change: E) => void) {
  const url = config().databaseUrl;
  const sql = postgres(url, { max: 1, onnotice: () => {}, prepare: preparesStatements(url) });
  const delivered = new Map<string, bigint>();
  let cursor = "0";
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;

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
    const start = await read(sql, null);
    const present = await read(sql, start.horizon);
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
        const { horizon, changes } = await read(sql, cursor);
        for (const change of changes) {
          if (delivered.has(change.id)) continue;
          delivered.set(change.id, BigInt(change.xid));
          deliver(change);
        }
        advance(horizon);
      } catch (error) {
        // The connection dropped or the database is restarting: postgres.js reconnects on the next read.
        if (!stopped) console.error(`${name}: ${String((error as Error)?.message ?? error)}`);
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

/**
 * A hub over one change log (`name` labels its errors): the reader starts with the first subscriber and
 * stops with the last; `subscribe` resolves once the reader has read the log once.
 */
export function changeLogHub<E extends LoggedChange>(
  name: string,
  read: ReadLog<E>,
  keysOf: (change: E) => string[],
): ListenHub<E> {
  const subscribers = keyedListeners<E>();
  let reader: ReturnType<typeof startReader<E>> | undefined;
  const deliver = (change: E) => subscribers.deliver(keysOf(change), change);

  return {
    async subscribe(key, listener) {
      const current = reader ??= startReader(name, read, deliver);
      const remove = subscribers.add(key, listener);
      const unsubscribe = async () => {
        if (remove() && reader === current) {
          reader = undefined;
          await current.stop();
        }
      };
      try {
        await current.ready;
      } catch (error) {
        // The database refused the first read: forget this reader so that the next subscriber starts a new one.
        remove();
        if (reader === current) {
          reader = undefined;
          await current.stop();
        }
        throw error;
      }
      return unsubscribe;
    },
    subscriberCount: subscribers.count,
  };
}
