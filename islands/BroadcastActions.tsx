/**
 * A broadcast's Send / Resume, Pause and Cancel buttons (plain forms, so they work without JavaScript), kept in
 * step with the live status (islands/broadcast_feed.ts): a broadcast paused, cancelled or finished elsewhere
 * shows the buttons that still apply, without a reload.
 */
import { type ProgressNumbers, useBroadcastFeed } from "./broadcast_feed.ts";

export interface BroadcastActionsProps extends Record<string, unknown> {
  /** `/admin/broadcasts/:id`: the forms post to …/start, …/pause, …/cancel. */
  base: string;
  source: string;
  intervalMs: number;
  progress: ProgressNumbers;
  labels: { start: string; resume: string; pause: string; cancel: string };
}

export function BroadcastActions(props: BroadcastActionsProps) {
  const status = useBroadcastFeed(props.source, props.progress, props.intervalMs).value.status;
  const { labels } = props;
  return (
    <div class="form-actions" id="broadcast-actions" data-status={status}>
      {(status === "draft" || status === "paused") && (
        <form method="post" action={`${props.base}/start`} class="inline-form">
          <button type="submit" id="broadcast-start">
            {status === "paused" ? labels.resume : labels.start}
          </button>
        </form>
      )}
      {status === "sending" && (
        <form method="post" action={`${props.base}/pause`} class="inline-form">
          <button type="submit" class="button-secondary" id="broadcast-pause">{labels.pause}</button>
        </form>
      )}
      {["draft", "sending", "paused"].includes(status) && (
        <form method="post" action={`${props.base}/cancel`} class="inline-form">
          <button type="submit" class="button-danger" id="broadcast-cancel">{labels.cancel}</button>
        </form>
      )}
    </div>
  );
}
