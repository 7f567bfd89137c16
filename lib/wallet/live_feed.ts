/**
 * Live wallet changes for this process: one LISTEN connection on `wallet_changed` (opened with the first
 * subscriber, closed with the last) fanned out in memory to the subscribers of each user. The ledger only
 * announces watched wallets, so a subscriber also registers a watch (lib/wallet/watch.ts) and renews it.
 */
import postgres from "postgres";
import { sql } from "kysely";
import { db } from "../db/client.ts";
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
  const sql = postgres(config().databaseListenUrl, { max: 1, onnotice: () => {} });
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

/** `promise`, or a rejection naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends one NOTIFY through the app's pool and waits for it on the LISTEN connection. A pooler in
 * transaction mode (or a wrong DATABASE_LISTEN_URL) may accept LISTEN and never deliver: this says so.
 */
export async function checkNotifyRoundTrip(
  notify: (channel: string, payload: string) => Promise<void>,
  listenUrl = config().databaseListenUrl,
  timeoutMs = 3000,
): Promise<{ ok: true; ms: number } | { ok: false; error: string }> {
  const started = performance.now();
  const channel = `pishkhan_probe_${crypto.randomUUID().replaceAll("-", "")}`;
  const payload = crypto.randomUUID();
  const sql = postgres(listenUrl, {
    max: 1,
    onnotice: () => {},
    connect_timeout: Math.ceil(timeoutMs / 1000),
  });
  try {
    let heard!: () => void;
    const arrived = new Promise<void>((resolve) => heard = resolve);
    await within(sql.listen(channel, (value) => value === payload && heard()), timeoutMs, "could not LISTEN");
    await notify(channel, payload);
    await within(arrived, timeoutMs, "no NOTIFY arrived");
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error: String((error as Error)?.message ?? error) };
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Start-up check of the live feeds: one line when they work, a loud one with the fix when they do not. */
export async function reportLiveFeeds(log: (line: string) => void = console.log): Promise<boolean> {
  const result = await checkNotifyRoundTrip(async (channel, payload) => {
    await sql`select pg_notify(${channel}, ${payload})`.execute(db());
  });
  if (result.ok) {
    log(`live feeds: NOTIFY round trip in ${result.ms} ms`);
    return true;
  }
  log(
    `!!! live feeds are DEAD (${result.error}): live balances and queues will not update. Set ` +
      `DATABASE_LISTEN_URL to a direct or session-mode connection (Supavisor port 5432, not 6543).`,
  );
  return false;
}
