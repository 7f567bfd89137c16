/**
 * The header bell's first number: for a signed-in page GET, the unread count (read as the user, RLS) goes into
 * `c.var.unreadNotifications`; the bell island then follows /api/v1/notifications/events.
 *
 * The count travels with the page's own reads: the first `c.var.asUser` of the request runs the count beside
 * them in the same transaction, so a page that reads its data costs no extra transaction (two round trips in
 * all, instead of two for the bell and two for the page). A page that renders without reading anything (or
 * whose read failed, e.g. a 404) gets the count from `c.var.loadUnreadNotifications` when it renders
 * (components/render.tsx).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import type { Tx } from "../db/client.ts";
import { unreadCount } from "./inbox.ts";

const NOT_PAGES = /^\/(api|static|healthz)(\/|$)|\/events$|\.(csv|json)$/;

// c.get rather than c.var (which copies every request variable per access): this runs on every request.
export const notificationBell = createMiddleware<AppEnv>(async (c, next) => {
  const claims = c.get("claims");
  if (claims && c.req.method === "GET" && !NOT_PAGES.test(c.req.path)) {
    const asUser = c.get("asUser");
    let joined = false;
    c.set("asUser", <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
      if (joined || c.get("unreadNotifications") !== undefined) return asUser(fn);
      joined = true;
      return asUser(async (tx) => {
        const [result, unread] = await Promise.all([fn(tx), unreadCount(tx, claims.sub)]);
        c.set("unreadNotifications", unread);
        return result;
      });
    });
    c.set("loadUnreadNotifications", () => asUser((tx) => unreadCount(tx, claims.sub)));
  }
  await next();
});
