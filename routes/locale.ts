// routes/locale.ts — POST /locale (remember the chosen language, then go back). For a signed-in user the
// choice is also their profile's language: the header switch and the profile form are one setting.
import { Hono } from "hono";
import { validate } from "../lib/http/validate.ts";
import { z } from "zod";
import { text } from "../lib/http/schemas.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { safeNext } from "../lib/auth/fields.ts";
import { LOCALES } from "../lib/i18n/mod.ts";
import { saveLocale } from "../lib/users/profile.ts";
import { rememberLocale, saveAuthLocale } from "../lib/users/language.ts";

const form = z.object({
  locale: z.enum(LOCALES),
  // The one return-address check (safeNext), so the switcher cannot be used as an open redirect.
  return_to: text().default("/").refine((v) => safeNext(v, "") === v),
});

export const localeRoute = new Hono<AppEnv>().post("/", validate("form", form), async (c) => {
  const { locale, return_to } = c.req.valid("form");
  const claims = c.var.claims;
  if (claims) {
    await c.var.asUser((tx) => saveLocale(tx, claims.sub, locale));
    await saveAuthLocale(claims.sub, locale);
  }
  rememberLocale(c, locale);
  return c.redirect(return_to, 303);
});
