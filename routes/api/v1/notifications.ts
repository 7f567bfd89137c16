// routes/api/v1/notifications.ts — the notification center API: GET /api/v1/notifications (keyset pages and
// the unread count), POST /api/v1/notifications/read ({ids} or {all: true}), GET /api/v1/notifications/events
// (SSE: `unread` {unread_count} at once and after every change, `notification` for each new one) and
// GET|PUT /api/v1/notifications/preferences. The bell island follows the events stream with the session cookie.
import { streamSSE } from "hono/streaming";
import { apiInput, requireJson } from "../../../lib/api/input.ts";
import { userRoutes } from "../../../lib/auth/guards.ts";
import {
  notificationJson,
  notificationsPageJson,
  NotificationsQuery,
  PreferencesBody,
  preferencesChange,
  preferencesJson,
  ReadBody,
} from "../../../lib/notifications/api.ts";
import {
  listNotifications,
  markRead,
  unreadCount,
  visibleNotification,
} from "../../../lib/notifications/inbox.ts";
import { followNotifications } from "../../../lib/notifications/live.ts";
import { getPreferences, savePreferences } from "../../../lib/notifications/preferences.ts";

/** A keep-alive comment this often; a stream ends after MAX_STREAM_MS and the browser reconnects. */
const KEEP_ALIVE_MS = 20_000;
const MAX_STREAM_MS = 10 * 60_000;

export const notificationsApi = userRoutes()
  .get("/", apiInput("query", NotificationsQuery), async (c) => {
    const query = c.req.valid("query");
    const me = c.var.user().sub;
    const page = await c.var.asUser((tx) => listNotifications(tx, me, query));
    return c.json(notificationsPageJson(page));
  })
  .post("/read", requireJson, apiInput("json", ReadBody), async (c) => {
    const body = c.req.valid("json");
    const me = c.var.user().sub;
    const result = await c.var.asUser(async (tx) => {
      const marked = await markRead(tx, me, body.all ? { all: true } : { ids: body.ids ?? [] });
      return { marked, unread_count: await unreadCount(tx, me) };
    });
    return c.json(result);
  })
  .get("/events", (c) => {
    const me = c.var.user().sub;
    return streamSSE(c, async (stream) => {
      const feed = await followNotifications(me);
      stream.onAbort(() => feed.wake());
      try {
        const count = await c.var.asUser((tx) => unreadCount(tx, me));
        await stream.writeSSE({ event: "unread", data: JSON.stringify({ unread_count: count }) });
        const ends = Date.now() + MAX_STREAM_MS;
        while (!stream.aborted && !stream.closed && Date.now() < ends) {
          const events = await feed.next(KEEP_ALIVE_MS);
          if (stream.aborted) break;
          if (events.length === 0) {
            await stream.write(": keep-alive\n\n");
            continue;
          }
          const { fresh, count } = await c.var.asUser(async (tx) => {
            const fresh = [];
            for (const event of events) {
              const row = event.id ? await visibleNotification(tx, event.id) : undefined;
              if (row) fresh.push(row);
            }
            return { fresh, count: await unreadCount(tx, me) };
          });
          for (const row of fresh) {
            await stream.writeSSE({
              event: "notification",
              id: row.id,
              data: JSON.stringify({ unread_count: count, notification: notificationJson(row) }),
            });
          }
          await stream.writeSSE({ event: "unread", data: JSON.stringify({ unread_count: count }) });
        }
      } finally {
        await feed.stop();
      }
    });
  })
  .get("/preferences", async (c) => {
    const me = c.var.user().sub;
    return c.json(preferencesJson(await c.var.asUser((tx) => getPreferences(tx, me))));
  })
  .put("/preferences", requireJson, apiInput("json", PreferencesBody), async (c) => {
    const change = preferencesChange(c.req.valid("json"));
    const me = c.var.user().sub;
    const saved = await c.var.asUser(async (tx) => {
      await savePreferences(tx, me, change);
      return await getPreferences(tx, me);
    });
    return c.json(preferencesJson(saved));
  });
