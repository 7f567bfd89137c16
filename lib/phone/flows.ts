/**
 * Phone sign-in, sign-up and phone change through Supabase Auth's phone provider, behind the app's own limits
 * (lib/phone/limits.ts): every code sent is counted per number, per place and globally, and every code
 * checked is counted per number before Auth is asked. Numbers arrive here already in E.164.
 */
import type { AuthError } from "@supabase/supabase-js";
import { isAuthRetryableFetchError } from "@supabase/supabase-js";
import { audit, type RequestContext } from "../audit/record.ts";
import type { AuthClient } from "../auth/supabase.ts";
import { verifyAccessToken } from "../auth/tokens.ts";
import type { Locale } from "../i18n/mod.ts";
import type { PhoneProblem } from "./errors.ts";
import { admitCodeAttempt, admitSms, forgetCodeAttempts } from "./limits.ts";

/** Seconds between two codes to one number: `[auth.sms] max_frequency` in supabase/config.toml. */
export const RESEND_SECONDS = 60;

/** What a code is for: signing in (or finishing a sign-up), or confirming a new number of a signed-in user. */
export type CodePurpose = "signin" | "signup" | "change";

export type PhoneOutcome<T = undefined> =
  | { ok: true; value: T }
  | { ok: false; problem: PhoneProblem | "weak_password"; retryAfter?: number };

const ok = <T>(value: T): PhoneOutcome<T> => ({ ok: true, value });
const refused = (problem: PhoneProblem | "weak_password", retryAfter?: number): PhoneOutcome<never> => ({
  ok: false,
  problem,
  retryAfter,
});

/** Auth's answer → the problem a page explains; GoTrue's "after N seconds." becomes the wait. */
function problemOf(error: AuthError): PhoneOutcome<never> {
  if (isAuthRetryableFetchError(error) || (error.status ?? 0) >= 500) return refused("sms_unavailable");
  if (error.code === "over_sms_send_rate_limit" || error.status === 429) {
    const seconds = Number(error.message.match(/after (\d+) seconds/)?.[1] ?? 60);
    return refused("sms_limited", seconds);
  }
  if (error.code === "otp_expired") return refused("code_wrong");
  if (error.code === "phone_exists") return refused("phone_taken");
  if (error.code === "user_already_exists") return refused("phone_exists");
  if (error.code === "weak_password") return refused("weak_password");
  return refused("sms_unavailable");
}

async function admitted(e164: string, context: RequestContext): Promise<PhoneOutcome<never> | undefined> {
  const admission = await admitSms(e164, context.ip);
  return admission.allowed ? undefined : refused("sms_limited", admission.retryAfter);
}

/**
 * Texts a sign-in code to an existing account's number. An unknown number looks the same to the caller (no
 * SMS is sent), so the form cannot be used to learn who has an account.
 */
export async function sendSignInCode(
  client: AuthClient,
  e164: string,
  locale: Locale,
  context: RequestContext,
): Promise<PhoneOutcome> {
  const limited = await admitted(e164, context);
  if (limited) return limited;
  const { error } = await client.auth.signInWithOtp({
    phone: e164,
    options: { shouldCreateUser: false, data: { locale } },
  });
  if (error && error.code !== "otp_disabled") return problemOf(error);
  return ok(undefined);
}

/** Signs up with a number and a password: the account exists at once, the number once its code is typed. */
export async function signUpWithPhone(
  client: AuthClient,
  input: { e164: string; password: string; fullName: string },
  locale: Locale,
  context: RequestContext,
): Promise<PhoneOutcome> {
  const limited = await admitted(input.e164, context);
  if (limited) return limited;
  const { error } = await client.auth.signUp({
    phone: input.e164,
    password: input.password,
    options: { data: { full_name: input.fullName, locale } },
  });
  // A number that already has an account gets no code and looks the same (GoTrue answers a look-alike user).
  if (error) return problemOf(error);
  return ok(undefined);
}

/** Texts a code to the signed-in user's new number; Auth refuses a number another account has. */
export async function startPhoneChange(
  client: AuthClient,
  e164: string,
  context: RequestContext,
): Promise<PhoneOutcome> {
  const limited = await admitted(e164, context);
  if (limited) return limited;
  const { error } = await client.auth.updateUser({ phone: e164 });
  if (error) return problemOf(error);
  return ok(undefined);
}

/** Another code for the same purpose (Auth's max_frequency and the app's limits both apply). */
export async function resendCode(
  client: AuthClient,
  e164: string,
  purpose: CodePurpose,
  locale: Locale,
  context: RequestContext,
): Promise<PhoneOutcome> {
  return purpose === "change"
    ? await startPhoneChange(client, e164, context)
    : await sendSignInCode(client, e164, locale, context);
}

/**
 * Checks a typed code. The attempt is counted first: the sixth within the window is refused here, and Auth
 * is not asked. The right code sets the session cookies (sign-in) or moves the number (change).
 */
export async function checkCode(
  client: AuthClient,
  e164: string,
  code: string,
  purpose: CodePurpose,
  context: RequestContext,
): Promise<PhoneOutcome<{ userId: string }>> {
  const admission = await admitCodeAttempt(e164);
  if (!admission.allowed) return refused("code_attempts", admission.retryAfter);
  const { data, error } = await client.auth.verifyOtp({
    phone: e164,
    token: code,
    type: purpose === "change" ? "phone_change" : "sms",
  });
  if (error || !data.session) return error ? problemOf(error) : refused("code_wrong");
  await forgetCodeAttempts(e164);
  const claims = await verifyAccessToken(data.session.access_token);
  await audit({
    action: purpose === "change" ? "auth.phone_change" : "auth.sign_in",
    actor: { id: claims.sub, email: claims.email },
    target: { type: "user", id: claims.sub },
    metadata: purpose === "change" ? { phone: e164 } : { method: "phone_otp" },
  }, context);
  return ok({ userId: claims.sub });
}
