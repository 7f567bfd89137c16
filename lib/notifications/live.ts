/**
 * The live bell for this process, through the `notifications` LISTEN hub (lib/db/listen.ts), by user. The
 * database announces ids only: `{id, user_id}` for a new in-app row (notifications.emit) and
 * `{user_id, read: true}` when rows are marked read (migration 20261130170000_notification_center.sql). A
 * stream re-reads the row and the count in its own `asUser` transaction, so RLS decides what it shows.
 */
import { listenHub } from "../db/listen.ts";

export interface NotificationAnnouncement {
  user_id: string;
  /** The new notification's id; absent when rows were marked read. */
  id?: string;
  read?: boolean;
}

const hub = listenHub<NotificationAnnouncement>("notifications", (event) => [`user:${event.user_id}`]);

/**
 * The announcements for one user as an async queue: `next(ms)` resolves with those that arrived (waiting at
 * most `ms` for the first; [] on time-out or `wake()`), `stop()` unsubscribes.
 */
export async function followNotifications(userId: string) {
  const pending: NotificationAnnouncement[] = [];
  let wake: (() => void) | undefined;
  const stop = await hub.subscribe(`user:${userId}`, (event) => {
    pending.push(event);
    wake?.();
  });
  return {
    async next(ms: number): Promise<NotificationAnnouncement[]> {
      if (pending.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
          wake = done;
        });
      }
      return pending.splice(0);
    },
    wake: () => wake?.(),
    stop,
  };
}

/** How many bells of `userId` listen in this process (a closed stream must not stay subscribed). */
export function notificationSubscriberCount(userId: string): number {
  return hub.subscriberCount(`user:${userId}`);
}
