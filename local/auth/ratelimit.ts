/**
 * GoTrue's rate limits (internal/api/apilimiter): per-IP token buckets with a burst of 30 for the endpoint
 * groups, and global hourly counters for sent emails and SMS. Keys are client IPs (first X-Forwarded-For value).
 */
import type { AuthConfig } from "./config.ts";
import { tooManyRequests } from "./errors.ts";

/** A token bucket per key: `burst` tokens, refilled at `perSecond`. */
export class TokenBuckets {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly perSecond: number, readonly burst: number, readonly now: () => Date) {}

  allow(key: string): boolean {
    const at = this.now().getTime() / 1000;
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (at - bucket.at) * this.perSecond);
    bucket.at = at;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 10_000) this.#buckets.delete(this.#buckets.keys().next().value!);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** At most `events` per fixed `seconds` window (GoTrue's IntervalLimiter). */
export class IntervalLimiter {
  #windowStart = 0;
  #count = 0;

  constructor(readonly events: number, readonly seconds: number, readonly now: () => Date) {}

  allow(): boolean {
    const at = this.now().getTime() / 1000;
    if (at - this.#windowStart >= this.seconds) {
      this.#windowStart = at;
      this.#count = 0;
    }
    if (this.#count >= this.events) return false;
    this.#count += 1;
    return true;
  }
}

export interface RateLimiters {
  signups: TokenBuckets;
  otp: TokenBuckets;
  magicLink: TokenBuckets;
  recover: TokenBuckets;
  resend: TokenBuckets;
  user: TokenBuckets;
  token: TokenBuckets;
  verify: TokenBuckets;
  email: IntervalLimiter;
  /** RATE_LIMIT_SMS_SENT: SMS per hour for the whole project. */
  sms: IntervalLimiter;
}

/** The limiters of one emulator instance; `sign_in_sign_ups` drives GOTRUE_RATE_LIMIT_OTP as in the CLI. */
export function createRateLimiters(config: AuthConfig, now: () => Date): RateLimiters {
  const per5m = (events: number) => new TokenBuckets(events / 300, 30, now);
  const { signInSignUps, tokenRefresh, tokenVerifications, emailSent, smsSent } = config.rateLimit;
  return {
    signups: per5m(signInSignUps),
    otp: per5m(signInSignUps),
    magicLink: per5m(signInSignUps),
    recover: per5m(signInSignUps),
    resend: per5m(signInSignUps),
    user: per5m(signInSignUps),
    token: per5m(tokenRefresh),
    verify: per5m(tokenVerifications),
    email: new IntervalLimiter(emailSent, 3600, now),
    sms: new IntervalLimiter(smsSent, 3600, now),
  };
}

/** Throws GoTrue's 429 over_request_rate_limit when the client's bucket is empty. */
export function limitRequest(buckets: TokenBuckets, clientIp: string): void {
  if (!buckets.allow(clientIp)) {
    throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
  }
}
