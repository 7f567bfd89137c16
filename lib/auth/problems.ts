/** Maps Supabase Auth errors to the few outcomes pages explain to people (each has an i18n message). */
import { type AuthError, isAuthRetryableFetchError } from "@supabase/supabase-js";
import { authErrors } from "./errors.ts";

export const AUTH_PROBLEMS = authErrors.codes;
export type AuthProblem = typeof AUTH_PROBLEMS[number];

const byCode: Record<string, AuthProblem> = {
  invalid_credentials: "invalid_credentials",
  email_not_confirmed: "email_not_confirmed",
  user_banned: "user_banned",
  weak_password: "weak_password",
  same_password: "same_password",
  over_request_rate_limit: "rate_limited",
  over_email_send_rate_limit: "rate_limited",
  otp_expired: "link_invalid",
  flow_state_not_found: "link_invalid",
  flow_state_expired: "link_invalid",
  bad_code_verifier: "link_invalid",
  pkce_code_verifier_not_found: "link_invalid",
  signup_disabled: "signup_disabled",
  email_provider_disabled: "signup_disabled",
};

/** The outcome to show for an Auth error; network failures and 5xx are "unavailable". */
export function authProblem(error: AuthError): AuthProblem {
  if (isAuthRetryableFetchError(error) || (error.status ?? 0) >= 500) return "unavailable";
  if (error.code && byCode[error.code]) return byCode[error.code];
  if (error.name === "AuthPKCECodeVerifierMissingError") return "link_invalid";
  if (error.status === 429) return "rate_limited";
  return "unknown";
}

/** What an auth flow returns to its route: done (with a value) or a problem to explain. */
export type Outcome<T = undefined> =
  | { ok: true; value: T }
  | { ok: false; problem: AuthProblem; retryAfter?: number };

export function done<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failed(problem: AuthProblem, retryAfter?: number): Outcome<never> {
  return { ok: false, problem, retryAfter };
}
