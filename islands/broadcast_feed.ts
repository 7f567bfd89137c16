/**
 * One feed of a broadcast's numbers per page: the progress bar and the status badge are two islands that follow
 * the same source (`/admin/broadcasts/:id/progress`, JSON {status, total, sent, …}), asked every `intervalMs`
 * while the broadcast is sending or paused, and the last answer goes to both. Subscriptions start in effects
 * (the browser only): a server render never shares state between requests.
 */
import { type Signal, useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Progress } from "../lib/notifications/progress.ts";

/** The numbers the page and …/progress give: the broadcast's status and its Progress. */
export type ProgressNumbers = Omit<Progress, "recipients"> & { status: string };

/** While a broadcast is in one of these, its numbers can still change. */
const ACTIVE = new Set(["sending", "paused"]);

interface Feed {
  latest: ProgressNumbers;
  listeners: Set<(numbers: ProgressNumbers) => void>;
  timer?: ReturnType<typeof setTimeout>;
}

const feeds = new Map<string, Feed>();

function schedule(source: string, feed: Feed, intervalMs: number) {
  clearTimeout(feed.timer);
  feed.timer = undefined;
  if (feed.listeners.size === 0 || !ACTIVE.has(feed.latest.status)) return;
  feed.timer = setTimeout(async () => {
    try {
      const res = await fetch(source, { headers: { accept: "application/json" } });
      if (res.ok) {
        feed.latest = await res.json() as ProgressNumbers;
        for (const listener of feed.listeners) listener(feed.latest);
      }
    } catch { /* the next poll tries again */ }
    if (feeds.get(source) === feed) schedule(source, feed, intervalMs);
  }, intervalMs);
}

function subscribe(
  source: string,
  initial: ProgressNumbers,
  intervalMs: number,
  listener: (numbers: ProgressNumbers) => void,
): () => void {
  let feed = feeds.get(source);
  if (!feed) {
    feed = { latest: initial, listeners: new Set() };
    feeds.set(source, feed);
  } else listener(feed.latest);
  feed.listeners.add(listener);
  if (feed.timer === undefined) schedule(source, feed, intervalMs);
  const joined = feed;
  return () => {
    joined.listeners.delete(listener);
    if (joined.listeners.size === 0) {
      clearTimeout(joined.timer);
      feeds.delete(source);
    }
  };
}

/** A broadcast's live numbers: `initial` (the server's render) until the shared feed answers. */
export function useBroadcastFeed(
  source: string,
  initial: ProgressNumbers,
  intervalMs: number,
): Signal<ProgressNumbers> {
  const numbers = useSignal(initial);
  useEffect(() => subscribe(source, initial, intervalMs, (n) => numbers.value = n), [source]);
  return numbers;
}
