/** Short-lived cookies that carry a sign-in flow across the trip to Auth and back. */
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../http/env.ts";
import { config } from "../config.ts";
import { safeNext } from "./fields.ts";

const NEXT = "pk_next";
const RECOVERY = "pk_recovery";

/** Cookies are Secure when the app is served over https. */
export function secure(c: AppContext): boolean {
  return new URL(config().APP_URL).protocol === "https:" || new URL(c.req.url).protocol === "https:";
}

/** Remembers where to go after an OAuth or emailed-link sign-in completes. */
export function rememberNext(c: AppContext, next: string): void {
  setCookie(c, NEXT, safeNext(next), {
    path: "/auth",
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    maxAge: 600,
  });
}

/** Where to go now (then forgotten). */
export function takeNext(c: AppContext): string {
  const next = safeNext(getCookie(c, NEXT));
  deleteCookie(c, NEXT, { path: "/auth" });
  return next;
}

/** Marks that this browser just followed `userId`'s password-recovery link (valid 15 minutes). */
export function markRecovery(c: AppContext, userId: string): void {
  setCookie(c, RECOVERY, userId, {
    path: "/auth",
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    maxAge: 900,
  });
}

export function inRecovery(c: AppContext, userId: string): boolean {
  return getCookie(c, RECOVERY) === userId;
}

export function endRecovery(c: AppContext): void {
  deleteCookie(c, RECOVERY, { path: "/auth" });
}
