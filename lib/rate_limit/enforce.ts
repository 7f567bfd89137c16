/** Abuse limits per IP and per email, counted in Postgres (private.hit_rate_limit) so they hold across instances. */
import { sql } from "kysely";
import { asService, type Tx } from "../db/client.ts";
import { DomainError, requestErrors } from "../errors.ts";
import { config } from "../config.ts";
import { limitSubject } from "../auth/request_context.ts";

export type LimitedAction = "signin" | "signup" | "recover" | "magic";

export interface LimitRule {
  max: number;
  windowSeconds: number;
}

/**
 * Per-IP limits catch volume from one place (a /64 for IPv6) and lock that place out; per-email limits
 * protect one mailbox from spam. Sign-in has no per-email lockout (anyone who knows an address could lock its
 * owner out): it slows guessing per email *and* place instead, with the growing delay of `SIGNIN_DELAY`.
 */
export const RATE_LIMITS: Record<Exclude<LimitedAction, "signin">, { ip: LimitRule; email: LimitRule }> & {
  signin: { ip: LimitRule };
} = {
  signin: { ip: { max: 30, windowSeconds: 600 } },
  signup: { ip: { max: 10, windowSeconds: 3600 }, email: { max: 5, windowSeconds: 3600 } },
  recover: { ip: { max: 10, windowSeconds: 3600 }, email: { max: 5, windowSeconds: 3600 } },
  magic: { ip: { max: 10, windowSeconds: 3600 }, email: { max: 5, windowSeconds: 3600 } },
};

/**
 * Sign-in attempts per email from one place: the first `free` in `windowSeconds` go at once; after that each
 * attempt must wait `baseSeconds`, doubling per attempt, up to `maxSeconds`, since the previous one.
 */
export const SIGNIN_DELAY = { free: 5, windowSeconds: 900, baseSeconds: 2, maxSeconds: 300 } as const;

/** The wait before the `attempt`-th sign-in (1-based) for one email from one place, in seconds (0: none). */
export function signinDelaySeconds(attempt: number): number {
  const over = attempt - SIGNIN_DELAY.free;
  if (over <= 0) return 0;
  return Math.min(SIGNIN_DELAY.maxSeconds, SIGNIN_DELAY.baseSeconds * 2 ** Math.min(over - 1, 30));
}

/** Too many attempts; `retryAfter` seconds until the window that refused ends (also sent as Retry-After). */
export function rateLimited(retryAfter: number): DomainError {
  return requestErrors.refuse(
    "rate_limited",
    { retryAfter },
    `Too many attempts. Try again in ${retryAfter} seconds.`,
  );
}

/** The seconds to wait, when `error` is a rate-limit refusal. */
export function retryAfterOf(error: unknown): number | undefined {
  return requestErrors.is(error, "rate_limited") ? Number(error.details.retryAfter ?? 60) : undefined;
}

export interface LimitResult {
  allowed: boolean;
  hits: number;
  retryAfter: number;
}

/** Counts one hit against `key` (fixed window) and says whether it is still within `max`. */
export async function hitRateLimit(tx: Tx, key: string, rule: LimitRule): Promise<LimitResult> {
  const { rows } = await sql<{ allowed: boolean; hits: number; retry_after: number }>`
    select * from private.hit_rate_limit(${key}, make_interval(secs => ${rule.windowSeconds}), ${rule.max})`
    .execute(tx);
  return { allowed: rows[0].allowed, hits: rows[0].hits, retryAfter: rows[0].retry_after };
}

/** The first 16 bytes of `text`'s SHA-256 in hex: what limit keys hold instead of an email or a number. */
export async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Keys never hold the email itself, only a digest of its lower-cased form. */
export async function limitKeys(action: LimitedAction, subject: { ip?: string; email?: string }) {
  const keys: { key: string; rule: LimitRule }[] = [];
  if (subject.ip && !exemptIp(subject.ip)) {
    keys.push({ key: `${action}:ip:${limitSubject(subject.ip)}`, rule: RATE_LIMITS[action].ip });
  }
  if (subject.email && action !== "signin") {
    const hashed = await digest(subject.email.trim().toLowerCase());
    keys.push({ key: `${action}:email:${hashed}`, rule: RATE_LIMITS[action].email });
  }
  return keys;
}

/** The counter keys of sign-in attempts for one email from one place (IPv6: its /64). */
export async function signinDelayKeys(subject: { ip?: string; email: string }) {
  const place = subject.ip ? limitSubject(subject.ip) : "unknown";
  const hashed = await digest(`${subject.email.trim().toLowerCase()}|${place}`);
  return { attempts: `signin:email_ip:${hashed}`, wait: `signin:wait:${hashed}` };
}

/**
 * In local mode every browser reaches the app as 127.0.0.1, so one shared loopback counter would only
 * lock out the developer; per-email limits still apply there. Hosted, every address is counted.
 */
export function exemptIp(ip: string): boolean {
  return config().mode === "local" && (ip === "::1" || ip.startsWith("127."));
}

/** Counts an attempt per IP and per email (sign-in: per email and place, with a growing delay); throws RateLimited when over. */
export async function enforceRateLimits(
  action: LimitedAction,
  subject: { ip?: string; email?: string },
): Promise<void> {
  const keys = await limitKeys(action, subject);
  const delayKeys = action === "signin" && subject.email
    ? await signinDelayKeys({ ip: subject.ip, email: subject.email })
    : undefined;
  if (keys.length === 0 && !delayKeys) return;
  const results = await asService(async (tx) => {
    const out: LimitResult[] = [];
    for (const { key, rule } of keys) out.push(await hitRateLimit(tx, key, rule));
    if (delayKeys) {
      const counted = await hitRateLimit(tx, delayKeys.attempts, {
        max: 2 ** 31 - 1, // counted, never refused here: the delay below does the refusing
        windowSeconds: SIGNIN_DELAY.windowSeconds,
      });
      const wait = signinDelaySeconds(counted.hits);
      // One attempt per `wait` seconds: the first hit opens the window, any other inside it is refused.
      if (wait > 0) out.push(await hitRateLimit(tx, delayKeys.wait, { max: 1, windowSeconds: wait }));
    }
    return out;
  });
  const refused = results.filter((r) => !r.allowed);
  if (refused.length) throw rateLimited(Math.max(...refused.map((r) => r.retryAfter)));
}

/** After a successful sign-in: that email's failed attempts from that place no longer slow it down. */
export async function forgetSigninAttempts(subject: { ip?: string; email: string }): Promise<void> {
  const { attempts, wait } = await signinDelayKeys(subject);
  await asService((tx) => sql`select private.forget_rate_limits(${[attempts, wait]}::text[])`.execute(tx));
}
