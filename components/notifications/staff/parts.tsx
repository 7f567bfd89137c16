/** Shared parts of the staff notification pages: the section links, labels for statuses and locales. */
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { formatNumber } from "../../../lib/i18n/format.ts";
import type { I18n, Translate } from "../../ui/types.ts";

export const LOCALE_LABELS: Record<string, MessageKey> = {
  fa: "admin.notifications.locale.fa",
  en: "admin.notifications.locale.en",
};

export const BROADCAST_STATUS_LABELS: Record<string, MessageKey> = {
  draft: "admin.broadcasts.status.draft",
  sending: "admin.broadcasts.status.sending",
  paused: "admin.broadcasts.status.paused",
  cancelled: "admin.broadcasts.status.cancelled",
  done: "admin.broadcasts.status.done",
};

/** An outbox status as a badge (the status names are the contract's, shown as they are). */
export function StatusBadge({ status }: { status: string }) {
  const tone = status === "delivered" || status === "sent"
    ? ""
    : status === "dead" || status === "failed" || status === "bounced"
    ? " badge-danger"
    : status === "queued" || status === "sending" || status === "held"
    ? " badge-warning"
    : " badge-muted";
  return <span class={`badge${tone}`} dir="ltr">{status}</span>;
}

/** The links between the notification staff pages. */
export function NotificationsNav({ t, current }: { t: Translate; current: string }) {
  const links: [string, MessageKey][] = [
    ["/admin/notifications", "admin.notifications.title"],
    ["/admin/notifications/log", "admin.notifications.log"],
    ["/admin/notifications/dead", "admin.notifications.dead"],
    ["/admin/notifications/templates", "admin.notifications.templates"],
  ];
  return (
    <nav class="subnav" aria-label={t("admin.notifications.title")}>
      {links.map(([href, key]) => (
        <a href={href} aria-current={href === current ? "page" : undefined}>{t(key)}</a>
      ))}
    </nav>
  );
}

export function count({ locale }: I18n, value: number): string {
  return formatNumber(value, locale);
}
