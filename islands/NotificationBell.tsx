/**
 * The header's bell: a link to the notification center with the unread count, kept live by
 * /api/v1/notifications/events (SSE: `unread` with the count, `notification` with each new one, whose title is
 * announced politely beside the bell). Without JavaScript it is the same link with the count of page load.
 */
import { useSignal } from "@preact/signals";
import { formatNumber } from "../lib/i18n/format.ts";
import { useLiveSource } from "./use_live_source.ts";

export interface NotificationBellProps extends Record<string, unknown> {
  locale: "fa" | "en";
  count: number;
  href: string;
  events: string;
  label: string;
  /** "{count} unread" */
  unreadText: string;
  /** "New: {title}" */
  latestText: string;
}

export function NotificationBell(props: NotificationBellProps) {
  const count = useSignal(props.count);
  const latest = useSignal("");
  const live = useLiveSource(props.events, {
    unread: (data) => count.value = (data as { unread_count: number }).unread_count,
    notification: (data) => {
      const { unread_count, notification } = data as {
        unread_count: number;
        notification: { title: string };
      };
      count.value = unread_count;
      latest.value = props.latestText.replace("{count}", "").replace("{title}", notification.title);
    },
  });
  const shown = formatNumber(count.value, props.locale);
  return (
    <span class="bell-wrap" data-live={live.value ? "on" : "off"}>
      <a
        href={props.href}
        class="bell"
        id="notification-bell"
        title={props.label}
        data-unread={String(count.value)}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        <span class="visually-hidden">
          {props.label}: {props.unreadText.replace("{count}", shown)}
        </span>
        {count.value > 0 && <span class="bell-count" aria-hidden="true">{shown}</span>}
      </a>
      <span class="bell-latest" role="status" aria-live="polite" dir="auto">{latest.value}</span>
    </span>
  );
}
