/**
 * A broadcast's status badge (sending / paused / cancelled / done), live from the same feed as its progress bar
 * (islands/broadcast_feed.ts): a pause, a resume, a cancel or the last message sent shows without a reload.
 */
import { type ProgressNumbers, useBroadcastFeed } from "./broadcast_feed.ts";

export interface BroadcastStatusProps extends Record<string, unknown> {
  source: string;
  intervalMs: number;
  progress: ProgressNumbers;
  /** The label of each status, in the page's language. */
  labels: Record<string, string>;
}

export function BroadcastStatus(props: BroadcastStatusProps) {
  const numbers = useBroadcastFeed(props.source, props.progress, props.intervalMs);
  const status = numbers.value.status;
  return (
    <span class="badge" id="broadcast-status" data-status={status} role="status">
      {props.labels[status] ?? status}
    </span>
  );
}
