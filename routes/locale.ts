// routes/locale.ts — POST /locale (remember the chosen language, then go back)
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { validate } from "../lib/http/validate.ts";
import { z } from "zod";
import { text } from "../lib/http/schemas.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { safeNext } from "../lib/auth/fields.ts";
import { LOCALE_COOKIE, LOCALES } from "../lib/i18n/mod.ts";

const form = z.object({
  locale: z.enum(LOCALES),
  // The one return-address check (safeNext), so the switcher cannot be used as an open redirect.
  return_to: text().default("/").refine((v) => safeNext(v, "") === v),
});

export const localeRoute = new Hono<AppEnv>().post("/", validate("form", form), (c) => {
  const { locale, return_to } = c.req.valid("form");
  setCookie(c, LOCALE_COOKIE, locale, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "Lax",
    httpOnly: true,
  });
  return c.redirect(return_to, 303);
});
