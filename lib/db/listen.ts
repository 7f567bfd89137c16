/**
 * One LISTEN connection per channel for this process (opened with the first subscriber, closed with the last),
 * fanned out in memory to subscribers by key (ticket messages; the wallet and bell feeds read polled change logs
 * instead, lib/db/change_log.ts, with the same ListenHub interface). LISTEN goes to DATABASE_LISTEN_URL (never a pooler in
 * transaction mode, which would drop it).
 */
import postgres from "postgres";
import { sql } from "kysely";
import { db } from "./client.ts";
import { config } from "../config.ts";

export interface ListenHub<E> {
  /** Calls `listener` with every announcement for `key`; resolves (with the unsubscribe) once listening. */
  subscribe(key: string, listener: (event: E) => void): Promise<() => Promise<void>>;
  /** How many listeners `key` has in this process. */
  subscriberCount(key: string): number;
}

/** Listeners by key, as the hubs keep them (this LISTEN hub and the polled change logs' in change_log.ts). */
export function keyedListeners<E>() {
  const byKey = new Map<string, Set<(event: E) => void>>();
  return {
    /** Adds `listener` under `key`; the function returned removes it and says whether no listener is left. */
    add(key: string, listener: (event: E) => void): () => boolean {
      let set = byKey.get(key);
      if (!set) byKey.set(key, set = new Set());
      set.add(listener);
      return () => {
        const listeners = byKey.get(key);
        listeners?.delete(listener);
        if (listeners?.size === 0) byKey.delete(key);
        return byKey.size === 0;
      };
    },
    /** Calls the listeners of each of `keys` with `event`. */
    deliver(keys: string[], event: E) {
      for (const key of keys) for (const listener of byKey.get(key) ?? []) listener(event);
    },
    count: (key: string) => byKey.get(key)?.size ?? 0,
  };
}

/** A hub for `channel`: each JSON payload goes to the listeners of the keys `keysOf` names for it. */
export function listenHub<E>(channel: string, keysOf: (event: E) => string[]): ListenHub<E> {
  const subscribers = keyedListeners<E>();
  let connection: { sql: postgres.Sql; ready: Promise<unknown> } | undefined;

  const dispatch = (payload: string) => {
    let event: E;
    try {
      event = JSON.parse(payload);
    } catch {
      return;
    }
    subscribers.deliver(keysOf(event), event);
  };

  const close = async (current: NonNullable<typeof connection>) => {
    if (connection === current) connection = undefined;
    await current.sql.end({ timeout: 1 }).catch(() => {});
  };

  return {
    async subscribe(key, listener) {
      if (!connection) {
        const sql = postgres(config().databaseListenUrl, { max: 1, onnotice: () => {} });
        connection = { sql, ready: sql.listen(channel, dispatch) };
      }
      const current = connection;
      const remove = subscribers.add(key, listener);
      const unsubscribe = async () => {
        if (remove()) await close(current);
      };
      try {
        await current.ready;
      } catch (error) {
        // The database refused the LISTEN: forget this connection so the next subscriber opens a new one.
        await unsubscribe();
        await close(current);
        throw error;
      }
      return unsubscribe;
    },
    subscriberCount: subscribers.count,
  };
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
    `!!! live feeds are DEAD (${result.error}): ticket feeds will not update (live wallets and the bell ` +
      `read change logs, not LISTEN). Set DATABASE_LISTEN_URL to a direct or session-mode connection ` +
      `(Supavisor port 5432, not 6543).`,
  );
  return false;
}
