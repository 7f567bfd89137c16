/**
 * Middleware: finds the signed-in user. Browsers carry the session in HttpOnly cookies (refreshed here when
 * the access token is about to expire); API clients may send `Authorization: Bearer <access token>` to
 * /api/*. Either way the access token is verified before its claims reach `c.var.claims`.
 */
import { createMiddleware } from "hono/factory";
import { isAuthRetryableFetchError } from "@supabase/supabase-js";
import type { AppContext, AppEnv } from "../http/env.ts";
import { createAuthClient, hasSessionCookie, sessionCookieName } from "./supabase.ts";
import { cookieSession, usableWithoutRefresh } from "./session_cookie.ts";
import { InvalidToken, type UserClaims, verifyAccessToken } from "./tokens.ts";
import { viewerFrom } from "./viewer.ts";
import { clientIp } from "./request_context.ts";
import { asUser } from "../db/client.ts";
import { requestErrors } from "../errors.ts";

function bearerToken(c: AppContext): string | undefined {
  if (!c.req.path.startsWith("/api/")) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  return match?.[1];
}

function logOutage(c: AppContext, error: unknown) {
  console.warn(JSON.stringify({ level: "warn", requestId: c.var.requestId, auth: String(error) }));
}

async function claimsFromCookies(c: AppContext): Promise<UserClaims | undefined> {
  // The common case, a token well before its expiry, needs no Supabase client: read it from the cookie and
  // verify it. A token that fails here goes the client's way below, which signs the session out.
  const stored = cookieSession(c.req.header("cookie") ?? "", sessionCookieName());
  if (stored && usableWithoutRefresh(stored)) {
    try {
      return await verifyAccessToken(stored.accessToken);
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
    }
  }
  const auth = c.var.auth().auth;
  // Reads the cookie session and, when its access token is (nearly) expired, refreshes it through Auth;
  // a refused refresh (revoked, signed out elsewhere, banned) removes the session cookies.
  const { data, error } = await auth.getSession();
  if (error && isAuthRetryableFetchError(error)) throw error;
  const token = data.session?.access_token;
  if (!token) {
    c.set("sessionEnded", true);
    return undefined;
  }
  try {
    return await verifyAccessToken(token);
  } catch (error) {
    if (!(error instanceof InvalidToken)) throw error;
    c.set("sessionEnded", true);
    await auth.signOut({ scope: "local" }).catch(() => {});
    return undefined;
  }
}

async function verifyBearer(token: string): Promise<UserClaims | undefined> {
  try {
    return await verifyAccessToken(token);
  } catch (error) {
    if (error instanceof InvalidToken) return undefined;
    throw error;
  }
}

export const session = createMiddleware<AppEnv>(async (c, next) => {
  let client: ReturnType<typeof createAuthClient> | undefined;
  c.set("auth", () => client ??= createAuthClient(c, clientIp(c)));
  let claims: UserClaims | undefined;
  // Typed access for routes behind requireUser, instead of asserting `c.var.user()` everywhere.
  const user = () =>
    claims ?? (() => {
      throw requestErrors.refuse("unauthorized");
    })();
  c.set("user", user);
  c.set("asUser", (fn) => asUser(user(), fn));
  try {
    const bearer = bearerToken(c);
    if (bearer) claims = await verifyBearer(bearer);
    else if (hasSessionCookie(c)) claims = await claimsFromCookies(c);
  } catch (error) {
    // Auth or its JWKS is unreachable: treat this request as signed out, but keep the cookies.
    logOutage(c, error);
  }
  if (claims) {
    c.set("claims", claims);
    c.set("viewer", await viewerFrom(claims));
  }
  await next();
});
