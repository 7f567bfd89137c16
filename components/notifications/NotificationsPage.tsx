/**
 * The notification center: the user's notifications newest first (unread ones marked), each with a link to
 * what it is about and a mark-as-read button, "mark all as read", keyset pages. Plain forms: no JavaScript.
 */
import { formatDate, formatNumber } from "../../lib/i18n/format.ts";
import type { InAppNotification } from "../../lib/notifications/inbox.ts";
import { Notice } from "../ui/Notice.tsx";
import { EmptyState } from "../ui/EmptyState.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import type { I18n } from "../ui/types.ts";
import { categoryName } from "./parts.tsx";

export interface NotificationsPageProps extends I18n {
  items: InAppNotification[];
  unreadCount: number;
  cursor?: string;
  next: string | null;
  notice?: "marked";
}

export function NotificationsPage(
  { t, locale, items, unreadCount, cursor, next, notice }: NotificationsPageProps,
) {
  const back = cursor ? `/notifications?cursor=${encodeURIComponent(cursor)}` : "/notifications";
  return (
    <>
      <div class="page-head">
        <h1>{t("notifications.title")}</h1>
        <p class="actions">
          <a class="button button-ghost" href="/profile/notifications">
            {t("notifications.preferencesLink")}
          </a>
          {unreadCount > 0 && (
            <form method="post" action="/notifications/read-all" class="inline-form">
              <button type="submit" class="button-secondary">{t("notifications.markAllRead")}</button>
            </form>
          )}
        </p>
      </div>
      {notice === "marked" && <Notice kind="success" text={t("notifications.marked")} />}
      <p class="muted" id="notifications-unread">
        {t("notifications.bell.unread", { count: formatNumber(unreadCount, locale) })}
      </p>
      {items.length === 0 ? <EmptyState text={t("notifications.empty")} /> : (
        <ol class="notification-list">
          {items.map((n) => (
            <li
              class={`card notification-item${n.readAt ? "" : " notification-unread"}`}
              data-notification={n.id}
              data-category={n.category}
            >
              <div class="notification-main">
                <p class="notification-meta">
                  <span class="badge">{categoryName(t, n.category)}</span>
                  {!n.readAt && <span class="badge badge-info">{t("notifications.unread")}</span>}
                  <time dateTime={n.createdAt.toISOString()}>
                    {formatDate(n.createdAt, locale, { time: true })}
                  </time>
                </p>
                <h2 class="notification-title" dir="auto">
                  {n.link ? <a href={`/notifications/${n.id}`}>{n.title}</a> : n.title}
                </h2>
                {n.body && <p class="notification-body" dir="auto">{n.body}</p>}
              </div>
              {!n.readAt && (
                <form method="post" action={`/notifications/${n.id}/read`} class="inline-form">
                  <input type="hidden" name="back" value={back} />
                  <button type="submit" class="button-small button-ghost">
                    {t("notifications.markRead")}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ol>
      )}
      <Pagination
        t={t}
        path="/notifications"
        cursor={cursor}
        next={next}
        labels={{
          nav: "notifications.pagination",
          first: "notifications.newest",
          next: "notifications.older",
        }}
      />
    </>
  );
}
