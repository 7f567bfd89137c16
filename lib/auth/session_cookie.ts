/**
 * Reads the access token out of the session cookie(s) @supabase/ssr writes (`base64-<base64url JSON>`,
 * whole or chunked as `<name>.0`, `<name>.1`, …) without building a Supabase client: building one per
 * request cost more app CPU than the rest of a small signed-in page. The token read here is verified like
 * any other (lib/auth/tokens.ts); anything this reader does not understand, and a token near its expiry
 * (which the client would refresh), goes the client's way instead (lib/auth/session.ts).
 */
import { parseCookieHeader, stringFromBase64URL } from "@supabase/ssr";
import { BoundedMap } from "../bounded_map.ts";

/** What the cookie says about its session: the access token and when it expires (seconds since the epoch). */
export interface CookieSession {
  accessToken: string;
  expiresAt: number;
}

/**
 * auth-js refreshes a session whose token expires within EXPIRY_MARGIN_MS (90 s) when it is read; tokens
 * that close to expiry (or past it) are left to the client, with a margin of our own on top.
 */
export const REFRESH_MARGIN_MS = 120_000;

/**
 * Cookie headers already read, with what they said. A browser sends the same header with every request until
 * its session is refreshed, and decoding it (@supabase/ssr's base64url decoder, in JavaScript) was about 3%
 * of the app's busy time on the pages bench; what a header says depends on the header and the name only.
 * Bounded: the oldest header read goes first when full.
 */
const readHeaders = new BoundedMap<string, Readonly<CookieSession> | undefined>(1_000);
/** Headers decoded (not found in readHeaders), for tests. */
export const cookieSessionStats = { decoded: 0 };

/** The stored session in the cookie header, or undefined when there is none or it is not one this reads. */
export function cookieSession(header: string, name: string): Readonly<CookieSession> | undefined {
  const key = `${name}\n${header}`; // a cookie name holds no line break
  if (readHeaders.has(key)) return readHeaders.get(key);
  const session = decodeCookieSession(header, name);
  readHeaders.set(key, session);
  return session;
}

function decodeCookieSession(header: string, name: string): Readonly<CookieSession> | undefined {
  cookieSessionStats.decoded++;
  const cookies = new Map<string, string>();
  for (const { name: key, value } of parseCookieHeader(header)) {
    if (key === name || key.startsWith(`${name}.`)) cookies.set(key, value ?? "");
  }
  // The same order @supabase/ssr combines them in: the whole cookie, else chunks .0, .1, … up to a gap
  // (its own combineChunks is async; this reader stays synchronous on the hot path).
  let value = cookies.get(name);
  if (!value) {
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    value = chunks.join("");
  }
  if (!value?.startsWith("base64-")) return undefined;
  try {
    const stored = JSON.parse(stringFromBase64URL(value.slice("base64-".length)));
    if (typeof stored?.access_token !== "string" || typeof stored.expires_at !== "number") return undefined;
    return Object.freeze({ accessToken: stored.access_token, expiresAt: stored.expires_at });
  } catch {
    return undefined;
  }
}

/** True when the client would use the cookie's token as it is (not refresh it first). */
export function usableWithoutRefresh(session: CookieSession, now = Date.now()): boolean {
  return session.expiresAt * 1000 - now > REFRESH_MARGIN_MS;
}
