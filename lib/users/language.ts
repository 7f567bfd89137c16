/**
 * The one language setting, end to end: the browser's `locale` cookie, the profile's `locale` and the Auth
 * user's `user_metadata.locale` (which Auth emails follow). The header switch and the profile form change all
 * three; a browser that has no cookie yet takes the signed-in user's profile language (a new device speaks the
 * user's language), while a cookie the person chose wins.
 *
 * "The user's language" means one they gave: Auth's `user_metadata.locale` is set at sign-up (the sign-up
 * page's language) and by every change since. An account made without one (by the Auth admin API or an
 * import) has only the column's default in its profile, which is no choice, so its browsers keep negotiating
 * from Accept-Language until the person picks a language.
 */
import { createMiddleware } from "hono/factory";
import { getCookie, setCookie } from "hono/cookie";
import type { AppContext, AppEnv } from "../http/env.ts";
import { isLocale, type Locale, LOCALE_COOKIE, translate } from "../i18n/mod.ts";
import { adminAuth, hasSessionCookie } from "../auth/supabase.ts";
import { getProfile } from "./profile.ts";

/** Remembers `locale` in the browser for a year. */
export function rememberLocale(c: AppContext, locale: Locale): void {
  setCookie(c, LOCALE_COOKIE, locale, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "Lax",
    httpOnly: true,
  });
}

/**
 * Copies the chosen language to the Auth user's metadata (Auth merges it with the rest), so Auth emails follow
 * it. Through the admin API, for the user the verified claims name: the change does not depend on the browser's
 * Auth session still being usable at Auth (the profile row was saved with the same claims).
 */
export async function saveAuthLocale(userId: string, locale: Locale): Promise<void> {
  const { error } = await adminAuth().updateUserById(userId, { user_metadata: { locale } });
  if (error) throw new Error(`Auth did not save the user's locale: ${error.code ?? error.message}`);
}

/** True when the access token says the user has given a language (Auth's `user_metadata.locale`). */
function hasChosenLanguage(claims: { [claim: string]: unknown }): boolean {
  const metadata = claims.user_metadata;
  return typeof metadata === "object" && metadata !== null &&
    isLocale((metadata as { locale?: unknown }).locale);
}

/**
 * Middleware after `session`: a signed-in browser (cookie session, not the API) without a language cookie
 * takes the profile's language for this request and remembers it, so sign-in on a new device speaks the
 * user's language. A cookie already there (the person's choice) is left alone.
 */
export const profileLocale = createMiddleware<AppEnv>(async (c, next) => {
  const claims = c.get("claims");
  if (
    claims && !c.req.path.startsWith("/api/") && getCookie(c, LOCALE_COOKIE) === undefined &&
    hasSessionCookie(c) && hasChosenLanguage(claims)
  ) {
    const profile = await c.var.asUser((tx) => getProfile(tx, claims.sub));
    if (profile) {
      const chosen = profile.locale;
      rememberLocale(c, chosen);
      c.set("locale", chosen);
      c.set("t", (key, params) => translate(chosen, key, params));
      c.header("Content-Language", chosen);
    }
  }
  await next();
});
