/**
 * SMS pumping and code guessing, limited in Postgres (private.hit_rate_limit) like the app's other limits,
 * so they hold across instances. Sending a code: per number, per IP (a /64 for IPv6) and for the whole
 * service per hour. Checking a code: at most `CODE_ATTEMPTS.max` per number in the window, counted BEFORE
 * Auth is asked — GoTrue has no attempt counter of its own, so these pages are the lockout.
 */
import { sql } from "kysely";
import { asService } from "../db/client.ts";
import { digest, exemptIp, hitRateLimit, type LimitRule } from "../rate_limit/enforce.ts";
import { limitSubject } from "../auth/request_context.ts";

export const SMS_LIMITS = {
  /** Codes one number may receive. */
  number: { max: 5, windowSeconds: 3600 },
  /** Codes one place may ask for (to any numbers). */
  ip: { max: 20, windowSeconds: 3600 },
  /** Codes the whole service sends per hour: the ceiling on an SMS-pumping bill. */
  global: { max: 2000, windowSeconds: 3600 },
} as const satisfies Record<string, LimitRule>;

/** Code checks per number: five in fifteen minutes, then a wait until the window ends. */
export const CODE_ATTEMPTS: LimitRule = { max: 5, windowSeconds: 900 };

/** Keys hold no number, only a digest of its E.164 form. */
const numberKey = async (kind: string, e164: string) => `${kind}:number:${await digest(e164)}`;

export type Admission = { allowed: true } | { allowed: false; retryAfter: number };

function admission(results: { allowed: boolean; retryAfter: number }[]): Admission {
  const refused = results.filter((r) => !r.allowed);
  return refused.length ? { allowed: false, retryAfter: Math.max(...refused.map((r) => r.retryAfter)) } : {
    allowed: true,
  };
}

/** Counts one SMS for `e164` asked from `ip`; refused when any of the three windows is full. */
export async function admitSms(e164: string, ip: string | undefined): Promise<Admission> {
  const keys: { key: string; rule: LimitRule }[] = [
    { key: await numberKey("sms", e164), rule: SMS_LIMITS.number },
    { key: "sms:global", rule: SMS_LIMITS.global },
  ];
  if (ip && !exemptIp(ip)) keys.push({ key: `sms:ip:${limitSubject(ip)}`, rule: SMS_LIMITS.ip });
  return admission(
    await asService(async (tx) => {
      const out = [];
      for (const { key, rule } of keys) out.push(await hitRateLimit(tx, key, rule));
      return out;
    }),
  );
}

/** Counts one code check for `e164`; the sixth within the window is refused without asking Auth. */
export async function admitCodeAttempt(e164: string): Promise<Admission> {
  const key = await numberKey("otp_check", e164);
  return admission([await asService((tx) => hitRateLimit(tx, key, CODE_ATTEMPTS))]);
}

/** After the right code: that number's attempts start again from zero. */
export async function forgetCodeAttempts(e164: string): Promise<void> {
  const key = await numberKey("otp_check", e164);
  await asService((tx) => sql`select private.forget_rate_limits(${[key]}::text[])`.execute(tx));
}
