/** Middleware: decides the request's locale and offers `c.var.t` for messages in it. */
import { createMiddleware } from "hono/factory";
import { getCookie } from "hono/cookie";
import { LOCALE_COOKIE, negotiateLocale, translate } from "../i18n/mod.ts";
import type { AppEnv } from "./env.ts";

export const locale = createMiddleware<AppEnv>(async (c, next) => {
  const chosen = negotiateLocale(getCookie(c, LOCALE_COOKIE), c.req.header("accept-language"));
  c.set("locale", chosen);
  c.set("t", (key, params) => translate(chosen, key, params));
  c.header("Content-Language", chosen);
  c.header("Vary", "Accept-Language, Cookie", { append: true });
  await next();
});
