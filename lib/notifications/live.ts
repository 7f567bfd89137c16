/**
 * The live bell for this process, by user. The database announces ids only, in the change log
 * notifications.bell_changes (migration 20261202050000_bell_change_log.sql; not a NOTIFY, which would
 * serialise the commits of the money transactions that deliver notifications): a new in-app row
 * (notifications.deliver) and rows marked read (notifications.announce_read). The change-log reader
 * (lib/db/change_log.ts) reads it every 100 ms while this process has bells open. A stream re-reads the row
 * and the count in its own `asUser` transaction, so RLS decides what it shows.
 */
import { changeLogHub, type LoggedChange } from "../db/change_log.ts";

export interface NotificationAnnouncement {
  user_id: string;
  /** The new notification's id; absent when rows were marked read. */
  id?: string;
  read?: boolean;
}

/** A row of notifications.bell_changes as bell_changes_since returns it. */
interface BellChange extends LoggedChange {
  user_id: string;
  notification_id: string | null;
  read: boolean;
}

const hub = changeLogHub<BellChange>("notifications live feed", async (sql, since) => {
  const [row] = await sql<{ horizon: string; changes: BellChange[] }[]>`
    select horizon::text as horizon, changes from notifications.bell_changes_since(${since}::xid8)`;
  return row;
}, (change) => [`user:${change.user_id}`]);

/** What a stream is told about a logged change. */
function announcement(change: BellChange): NotificationAnnouncement {
  return change.notification_id === null
    ? { user_id: change.user_id, read: true }
    : { user_id: change.user_id, id: change.notification_id };
}

/**
 * The announcements for one user as an async queue: `next(ms)` resolves with those that arrived (waiting at
 * most `ms` for the first; [] on time-out or `wake()`), `stop()` unsubscribes.
 */
export async function followNotifications(userId: string) {
  const pending: NotificationAnnouncement[] = [];
  let wake: (() => void) | undefined;
  const stop = await hub.subscribe(`user:${userId}`, (change) => {
    pending.push(announcement(change));
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
