/** The one-word notices and problems pages pass in query strings after a redirect, as i18n keys. */
import type { MessageKey } from "../i18n/mod.ts";
import { AUTH_PROBLEMS, type AuthProblem } from "./problems.ts";
import { authErrors } from "./errors.ts";
import { numberFormat } from "../i18n/format.ts";

const NOTICES = {
  expired: "auth.notice.expired",
  signed_out: "auth.notice.signedOut",
  signed_out_all: "auth.notice.signedOutAll",
  password_changed: "auth.notice.passwordChanged",
  other_browser: "auth.notice.otherBrowser",
  saved: "profile.saved",
  phone_verified: "phone.notice.verified",
  code_resent: "phone.notice.resent",
} as const satisfies Record<string, MessageKey>;

export type Notice = keyof typeof NOTICES;

/** The message for a `?notice=` value, if it is one we send. */
export function noticeKey(value: string | undefined): MessageKey | undefined {
  return value && value in NOTICES ? NOTICES[value as Notice] : undefined;
}

export function isAuthProblem(value: string | undefined): value is AuthProblem {
  return (AUTH_PROBLEMS as readonly string[]).includes(value ?? "");
}

/** The i18n key explaining an auth problem. */
export function problemKey(problem: AuthProblem): MessageKey {
  return `auth.problem.${problem}` as MessageKey;
}

/** HTTP status for a form answered with a problem. */
export function problemStatus(problem: AuthProblem): 400 | 403 | 429 | 503 {
  return authErrors.refuse(problem).status as 400 | 403 | 429 | 503;
}

/** The sentence for a problem, with the wait spelled out in the locale's digits when rate limited. */
export function problemText(
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
  locale: "fa" | "en",
  problem: AuthProblem,
  retryAfter?: number,
): string {
  return t(problemKey(problem), { wait: waitText(t, locale, retryAfter) });
}

/** "45 seconds" / "3 minutes" (default: a minute), in the locale's digits. */
export function waitText(
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
  locale: "fa" | "en",
  retryAfter?: number,
): string {
  const seconds = Math.max(1, retryAfter ?? 60);
  const number = (n: number) => numberFormat(locale === "fa" ? "fa-IR" : "en-US").format(n);
  return seconds < 90
    ? t("auth.wait.seconds", { n: number(seconds) })
    : t("auth.wait.minutes", { n: number(Math.ceil(seconds / 60)) });
}
