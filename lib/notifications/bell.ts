/**
 * The header bell's first number: for a signed-in page GET, the unread count is read once (as the user, RLS)
 * into `c.var.unreadNotifications`; the bell island then follows /api/v1/notifications/events.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/env.ts";
import { unreadCount } from "./inbox.ts";

const NOT_PAGES = /^\/(api|static|healthz)(\/|$)|\/events$|\.(csv|json)$/;

export const notificationBell = createMiddleware<AppEnv>(async (c, next) => {
  const claims = c.var.claims;
  if (claims && c.req.method === "GET" && !NOT_PAGES.test(c.req.path)) {
    c.set("unreadNotifications", await c.var.asUser((tx) => unreadCount(tx, claims.sub)));
  }
  await next();
});
