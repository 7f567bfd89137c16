/** Supabase Auth clients: per-request server client over the session cookies, and the secret-key admin client. */
import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import { createClient } from "@supabase/supabase-js";
import { config } from "../config.ts";
import type { AppContext } from "../http/env.ts";

/** What routes and flows use of a Supabase client: its `auth` half (the server never uses PostgREST). */
export interface AuthClient {
  auth: ReturnType<typeof createServerClient>["auth"];
}

/** The cookie @supabase/ssr keeps the session in: `sb-<first label of the Supabase host>-auth-token`. */
export function sessionCookieName(supabaseUrl = config().supabaseUrl): string {
  if (cookieName?.url !== supabaseUrl) {
    cookieName = { url: supabaseUrl, name: `sb-${new URL(supabaseUrl).hostname.split(".")[0]}-auth-token` };
  }
  return cookieName.name;
}

let cookieName: { url: string; name: string } | undefined;

/** True when the request carries a session cookie (whole or chunked). */
export function hasSessionCookie(c: AppContext): boolean {
  const name = sessionCookieName();
  return parseCookieHeader(c.req.header("cookie") ?? "").some((cookie) =>
    cookie.name === name || cookie.name.startsWith(`${name}.`)
  );
}

/** Public origin for links Auth sends back (callbacks): the configured APP_URL, or the loopback origin in use. */
export function appOrigin(c: AppContext): string {
  const configured = new URL(config().APP_URL).origin;
  const here = new URL(c.req.url).origin;
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(here);
  return config().mode === "local" && loopback ? here : configured;
}

function servedOverHttps(c: AppContext): boolean {
  return new URL(config().APP_URL).protocol === "https:" || new URL(c.req.url).protocol === "https:";
}

let built = 0;

/** How many request clients createAuthClient has built in this process (tests and benches count them). */
export function authClientsBuilt(): number {
  return built;
}

/**
 * A server client whose storage is this request's cookies: reads them from the request and writes changes
 * (sign-in, refresh, sign-out, PKCE verifiers) as HttpOnly, SameSite=Lax cookies on the response, Secure
 * over https, with the no-store headers @supabase/ssr asks for.
 */
export function createAuthClient(c: AppContext, clientIp?: string): AuthClient {
  built++;
  const { supabaseUrl, publishableKey } = config();
  return createServerClient(supabaseUrl, publishableKey, {
    cookieOptions: { httpOnly: true, sameSite: "lax", secure: servedOverHttps(c), path: "/" },
    cookies: {
      getAll: () =>
        parseCookieHeader(c.req.header("cookie") ?? "").map(({ name, value }) => ({
          name,
          value: value ?? "",
        })),
      setAll: (cookies, headers) => {
        for (const { name, value, options } of cookies) {
          c.header("Set-Cookie", serializeCookieHeader(name, value, options), { append: true });
        }
        for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
      },
    },
    global: { headers: clientIp ? { "X-Forwarded-For": clientIp } : {} },
  });
}

let admin: { url: string; client: ReturnType<typeof createClient> } | undefined;

/** The Auth admin API (secret key): bans, user lookups. Server-only; never reaches a browser. */
export function adminAuth(): ReturnType<typeof createClient>["auth"]["admin"] {
  const { supabaseUrl, secretKey } = config();
  if (admin?.url !== supabaseUrl) {
    admin = {
      url: supabaseUrl,
      client: createClient(supabaseUrl, secretKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      }),
    };
  }
  return admin.client.auth.admin;
}

/** A client that keeps its session in memory only: checks a password without touching the cookies. */
export function detachedAuth(): ReturnType<typeof createClient>["auth"] {
  const { supabaseUrl, publishableKey } = config();
  return createClient(supabaseUrl, publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  }).auth;
}
