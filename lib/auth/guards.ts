/**
 * Route guards: a signed-in user (pages redirect to sign-in, APIs answer 401 JSON), a permission (403 page or
 * JSON), and a live session for sensitive actions (Auth is asked, since a signed token outlives its logout).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { requestErrors } from "../errors.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { can } from "./viewer.ts";
import { wantsJson } from "../http/answers.ts";
import { sessionIsLive } from "./live_session.ts";

/** Where to send someone who must sign in first: back here afterwards, with a note when a session ended. */
export function signInRedirect(c: AppContext, ended = c.var.sessionEnded): Response {
  const url = new URL(c.req.url);
  const params = new URLSearchParams({
    next: c.req.method === "GET" ? url.pathname + url.search : "/profile",
  });
  if (ended) params.set("reason", "expired");
  return c.redirect(`/signin?${params}`, 303);
}

/**
 * Continues only for a signed-in user. (Hot paths read variables with c.get: Hono's c.var copies every
 * variable of the request into a new object on each access.)
 */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("claims")) return await next();
  if (wantsJson(c)) throw requestErrors.refuse("unauthorized");
  return signInRedirect(c);
});

/** Continues only when the user's role grants `permission` (after requireUser). */
export function requirePermission(permission: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.claims) {
      if (wantsJson(c)) throw requestErrors.refuse("unauthorized");
      return signInRedirect(c);
    }
    if (!can(c.var.viewer, permission)) {
      throw requestErrors.refuse("forbidden", {}, `This needs the ${permission} permission`);
    }
    await next();
  });
}

/**
 * Checks that the session still exists and the user is not banned. A signed access token stays valid until it
 * expires even after sign-out elsewhere (or a ban, or a demotion), so sensitive actions check here. Tokens
 * that name their session (`session_id`, every GoTrue token) are checked in the database in one query
 * (public.session_is_live); others ask Auth (GET /auth/v1/user).
 */
export const requireLiveSession = createMiddleware<AppEnv>(async (c, next) => {
  const claims = c.var.claims;
  if (!claims) {
    if (wantsJson(c)) throw requestErrors.refuse("unauthorized");
    return signInRedirect(c);
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const live = claims.session_id
    ? await sessionIsLive(claims.session_id, claims.sub)
    : await askAuth(c, bearer && c.req.path.startsWith("/api/") ? bearer : undefined);
  if (!live) {
    if (!bearer) await c.var.auth().auth.signOut({ scope: "local" }).catch(() => {});
    if (wantsJson(c)) throw requestErrors.refuse("session_ended");
    return signInRedirect(c, true);
  }
  await next();
});

/**
 * For a route whose single statement checks the session itself (ledger.transfer_as, the API's busiest call):
 * a token that names its Auth session goes on, and only the others are checked here by asking Auth.
 */
export const requireLiveSessionUnlessSqlChecks = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("claims")?.session_id) return await next();
  return await requireLiveSession(c, next);
});

/** GET /auth/v1/user with the request's token: does Auth still know this user's session? */
async function askAuth(c: AppContext, bearer: string | undefined): Promise<boolean> {
  const { data, error } = bearer
    ? await c.var.auth().auth.getUser(bearer)
    : await c.var.auth().auth.getUser();
  if ((error?.status ?? 0) >= 500 || error?.name === "AuthRetryableFetchError") throw error;
  return !error && data.user?.id === c.var.claims?.sub;
}

/** Routes for signed-in users only: the guard comes with the routes, whatever mounts them. */
export function userRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>().use(requireUser);
}
