/**
 * A broadcast's progress bar (sent / failed / remaining): rendered by the server, then followed from `source`
 * (JSON, every `intervalMs` while the broadcast is sending or paused) through the feed it shares with the
 * status badge (islands/broadcast_feed.ts). Without JavaScript the page's Refresh link shows the same numbers.
 */
import { formatNumber } from "../lib/i18n/format.ts";
import { type ProgressNumbers, useBroadcastFeed } from "./broadcast_feed.ts";

export interface BroadcastProgressProps extends Record<string, unknown> {
  locale: "fa" | "en";
  source: string;
  intervalMs: number;
  progress: ProgressNumbers;
  /** "{count}" and "{percent}" placeholders. */
  labels: {
    sent: string;
    failed: string;
    remaining: string;
    cancelled: string;
    percent: string;
    title: string;
  };
}

export function BroadcastProgress(props: BroadcastProgressProps) {
  const progress = useBroadcastFeed(props.source, props.progress, props.intervalMs);
  const p = progress.value;
  const n = (value: number) => formatNumber(value, props.locale);
  const width = (part: number) => p.total ? `${(part * 100) / p.total}%` : "0%";
  return (
    <div class="broadcast-progress" data-percent={String(p.percent)} data-status={p.status}>
      <div
        class="progress"
        role="progressbar"
        aria-label={props.labels.title}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={p.percent}
        aria-valuetext={props.labels.percent.replace("{percent}", n(p.percent))}
      >
        <span class="progress-sent" style={{ inlineSize: width(p.sent) }}></span>
        <span class="progress-failed" style={{ inlineSize: width(p.failed) }}></span>
      </div>
      <ul class="progress-legend">
        <li id="progress-percent">{props.labels.percent.replace("{percent}", n(p.percent))}</li>
        <li id="progress-sent">{props.labels.sent.replace("{count}", n(p.sent))}</li>
        <li id="progress-failed">{props.labels.failed.replace("{count}", n(p.failed))}</li>
        <li id="progress-remaining">{props.labels.remaining.replace("{count}", n(p.remaining))}</li>
        {p.cancelled > 0 && <li>{props.labels.cancelled.replace("{count}", n(p.cancelled))}</li>}
      </ul>
    </div>
  );
}
