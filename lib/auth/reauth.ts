/**
 * Fresh re-authentication for withdrawals and large transfers: the account password is asked again (checked
 * against Auth by a throw-away sign-in that leaves the session cookies alone), and the proof is a short-lived
 * token signed by the server, bound to the user and to the Auth session (`session_id`). Browsers keep it in
 * an HttpOnly cookie; API clients get it from POST /api/v1/auth/reauthenticate and send it back in the
 * `X-Reauthentication` header. Nothing is kept in process memory, so any app instance can check it.
 *
 * Why not GoTrue's `reauthenticate` nonce: Auth consumes that nonce only in `PUT /user {password, nonce}`,
 * i.e. while changing the password, so it cannot confirm a person without changing their password.
 */
import { getCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../http/env.ts";
import type { MessageKey } from "../i18n/mod.ts";
import { config } from "../config.ts";
import type { UserClaims } from "./tokens.ts";
import { verifyCurrentPassword } from "./password.ts";
import { requestContext } from "./request_context.ts";
import { done, type Outcome } from "./problems.ts";
import { secure } from "./flow_cookies.ts";
import { requestErrors } from "../errors.ts";

export const REAUTH_COOKIE = "pk_reauth";
export const REAUTH_HEADER = "x-reauthentication";

const encoder = new TextEncoder();
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

let signingKey: { secret: string; key: Promise<CryptoKey> } | undefined;

const hmacKey = (raw: BufferSource, usages: KeyUsage[]) =>
  crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, usages);

/** An HMAC key derived from the project's secret key (never the secret itself), for this purpose only. */
function key(): Promise<CryptoKey> {
  const secret = config().secretKey;
  if (!secret) throw new Error("re-authentication needs SUPABASE_SECRET_KEY to sign its proofs");
  if (signingKey?.secret !== secret) {
    const derived = hmacKey(encoder.encode(secret), ["sign"])
      .then((base) => crypto.subtle.sign("HMAC", base, encoder.encode("pishkhan re-authentication v1")))
      .then((raw) => hmacKey(raw, ["sign", "verify"]));
    signingKey = { secret, key: derived };
  }
  return signingKey.key;
}

interface Proof {
  /** user id */
  u: string;
  /** Auth session id */
  s: string;
  /** when the password was checked (seconds since the epoch) */
  t: number;
}

/** A signed proof that `claims`' user re-entered the password now, valid for this session only. */
export async function issueReauthProof(claims: UserClaims, now = Date.now()): Promise<string> {
  if (!claims.session_id) throw new Error("a session without session_id cannot be re-authenticated");
  const payload = encoder.encode(
    JSON.stringify({ u: claims.sub, s: claims.session_id, t: Math.floor(now / 1000) }),
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", await key(), payload));
  return `${b64url(payload)}.${b64url(signature)}`;
}

/** True when `proof` is ours, for this user and this session, and younger than REAUTH_MAX_AGE_SECONDS. */
export async function isFreshProof(
  claims: UserClaims,
  proof: string | undefined,
  now = Date.now(),
): Promise<boolean> {
  if (!proof || proof.length > 1000 || !claims.session_id) return false;
  const [payloadText, signatureText, extra] = proof.split(".");
  if (!payloadText || !signatureText || extra !== undefined) return false;
  try {
    const payload = fromB64url(payloadText);
    if (!await crypto.subtle.verify("HMAC", await key(), fromB64url(signatureText), payload)) return false;
    const { u, s, t } = JSON.parse(new TextDecoder().decode(payload)) as Proof;
    const age = Math.floor(now / 1000) - t;
    return u === claims.sub && s === claims.session_id && age >= -60 &&
      age <= config().REAUTH_MAX_AGE_SECONDS;
  } catch {
    return false;
  }
}

/** The proof this request carries: the header for API clients, else the browser's cookie. */
function proofOf(c: AppContext): string | undefined {
  return c.req.header(REAUTH_HEADER) ?? getCookie(c, REAUTH_COOKIE);
}

/** Whether the signed-in user re-authenticated recently in this session. */
export async function recentlyReauthenticated(c: AppContext): Promise<boolean> {
  return !!c.var.claims && await isFreshProof(c.var.claims, proofOf(c));
}

/** Whether a transfer of `rials` needs a fresh re-authentication. */
export function transferNeedsReauth(rials: bigint): boolean {
  return rials >= BigInt(config().TRANSFER_REAUTH_MIN_RIAL);
}

/**
 * Checks the password again (behind the sign-in limits; failures audited) and, when it is right, returns a
 * fresh proof. Browsers also get it as an HttpOnly cookie.
 */
export async function reauthenticate(
  c: AppContext,
  password: string,
  { cookie }: { cookie: boolean },
): Promise<Outcome<{ proof: string; expiresIn: number }>> {
  const claims = c.var.user();
  const checked = await verifyCurrentPassword(claims, password, requestContext(c), "reauthentication");
  if (!checked.ok) return checked;
  const proof = await issueReauthProof(claims);
  const expiresIn = config().REAUTH_MAX_AGE_SECONDS;
  if (cookie) {
    setCookie(c, REAUTH_COOKIE, proof, {
      path: "/",
      httpOnly: true,
      sameSite: "Strict",
      secure: secure(c),
      maxAge: expiresIn,
    });
  }
  return done({ proof, expiresIn });
}

/** For API routes: refuses (403 `reauthentication_required`) unless the request carries a fresh proof. */
export async function requireFreshReauth(c: AppContext): Promise<void> {
  if (!await recentlyReauthenticated(c)) throw requestErrors.refuse("reauthentication_required");
}

/** What a money form shows when the password is still needed: why, and the status to answer with. */
export interface ReauthRefusal {
  error: MessageKey;
  status: 400 | 429 | 503;
}

/**
 * For forms: nothing to do when the session re-authenticated lately; otherwise checks the password typed in
 * the form (which also sets the cookie) and says what to show when it is missing or wrong.
 */
export async function formReauth(
  c: AppContext,
  password: string | undefined,
): Promise<ReauthRefusal | undefined> {
  if (await recentlyReauthenticated(c)) return undefined;
  if (!password) return { error: "auth.reauth.required", status: 400 };
  const outcome = await reauthenticate(c, password, { cookie: true });
  if (outcome.ok) return undefined;
  if (outcome.problem === "rate_limited") {
    c.header("Retry-After", String(outcome.retryAfter ?? 60));
    return { error: "auth.reauth.rateLimited", status: 429 };
  }
  if (outcome.problem === "unavailable") return { error: "auth.problem.unavailable", status: 503 };
  return { error: "auth.reauth.wrong", status: 400 };
}

/** How long a re-authentication lasts, in whole minutes (for the form's hint). */
export function reauthMinutes(): number {
  return Math.max(1, Math.round(config().REAUTH_MAX_AGE_SECONDS / 60));
}
