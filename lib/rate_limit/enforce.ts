/** Abuse limits per IP and per email, counted in Postgres (private.hit_rate_limit) so they hold across instances. */
import { sql } from "kysely";
import { asService, type Tx } from "../db/client.ts";
import { DomainError, requestErrors } from "../errors.ts";
import { config } from "../config.ts";

export type LimitedAction = "signin" | "signup" | "recover" | "magic";

export interface LimitRule {
  max: number;
  windowSeconds: number;
}

/** Per-IP limits catch volume from one place; per-email limits protect one account from guessing and spam. */
export const RATE_LIMITS: Record<LimitedAction, { ip: LimitRule; email: LimitRule }> = {
  signin: { ip: { max: 30, windowSeconds: 600 }, email: { max: 10, windowSeconds: 900 } },
  signup: { ip: { max: 10, windowSeconds: 3600 }, email: { max: 5, windowSeconds: 3600 } },
  recover: { ip: { max: 10, windowSeconds: 3600 }, email: { max: 5, windowSeconds: 3600 } },
  magic: { ip: { max: 10, windowSeconds: 3600 }, email: { max: 5, windowSeconds: 3600 } },
};

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

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Keys never hold the email itself, only a digest of its lower-cased form. */
export async function limitKeys(action: LimitedAction, subject: { ip?: string; email?: string }) {
  const keys: { key: string; rule: LimitRule }[] = [];
  if (subject.ip && !exemptIp(subject.ip)) {
    keys.push({ key: `${action}:ip:${subject.ip}`, rule: RATE_LIMITS[action].ip });
  }
  if (subject.email) {
    const hashed = await digest(subject.email.trim().toLowerCase());
    keys.push({ key: `${action}:email:${hashed}`, rule: RATE_LIMITS[action].email });
  }
  return keys;
}

/**
 * In local mode every browser reaches the app as 127.0.0.1, so one shared loopback counter would only
 * lock out the developer; per-email limits still apply there. Hosted, every address is counted.
 */
function exemptIp(ip: string): boolean {
  return config().mode === "local" && (ip === "::1" || ip.startsWith("127."));
}

/** Counts an attempt per IP and per email; throws RateLimited when either is over its limit. */
export async function enforceRateLimits(
  action: LimitedAction,
  subject: { ip?: string; email?: string },
): Promise<void> {
  const keys = await limitKeys(action, subject);
  if (keys.length === 0) return;
  const results = await asService(async (tx) => {
    const out: LimitResult[] = [];
    for (const { key, rule } of keys) out.push(await hitRateLimit(tx, key, rule));
    return out;
  });
  const refused = results.filter((r) => !r.allowed);
  if (refused.length) throw rateLimited(Math.max(...refused.map((r) => r.retryAfter)));
}
