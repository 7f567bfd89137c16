/** Sends the Auth emails into the local outbox (/_dev/outbox), with GoTrue's action links and rate limit. */
import { recordMessage } from "../outbox/store.ts";
import type { Sql } from "postgres";
import type { Db, Emulator } from "./context.ts";
import { tooManyRequests } from "./errors.ts";
import { type MailKind, mailLocale, renderAuthMail } from "./mail_templates.ts";

export type { MailKind };

export const MAIL_SENDER = "Pishkhan <noreply@pishkhan.local>";

/** Leaves an already-encoded redirect as is and encodes one that carries `&`, `=` or `#` (encodeRedirectURL). */
function encodeRedirect(url: string): string {
  return /[&=#]/.test(url) ? encodeURIComponent(url) : url;
}

/** `<external>/verify?token=<hashed_token>&type=<type>&redirect_to=<url>` (mailer getPath). */
export function actionLink(emu: Emulator, hashedToken: string, type: string, redirectTo: string): string {
  return `${emu.externalUrl}/verify?token=${encodeURIComponent(hashedToken)}&type=${
    encodeURIComponent(type)
  }` +
    `&redirect_to=${encodeRedirect(redirectTo)}`;
}

export interface AuthMail {
  kind: MailKind;
  to: string;
  otp: string;
  hashedToken: string;
  redirectTo: string;
  /** For email_change: the address being confirmed. */
  newEmail?: string;
  /** The user's metadata (GoTrue's `.Data`): its `locale` picks the email's language. */
  data?: unknown;
}

/**
 * The app's page where an emailed code can be typed (signup and magic link), on the site the link returns to:
 * `{{ .SiteURL }}/auth/code?email=…` in the hosted templates.
 */
function codeUrl(emu: Emulator, mail: AuthMail): string | undefined {
  if (mail.kind !== "signup" && mail.kind !== "magiclink") return undefined;
  let site = emu.config.siteUrl;
  try {
    if (/^https?:/.test(mail.redirectTo)) site = new URL(mail.redirectTo).origin;
  } catch { /* an unparsable redirect: the site URL */ }
  return `${site.replace(/\/$/, "")}/auth/code?email=${encodeURIComponent(mail.to)}`;
}

/** Applies the hourly email limit (only when confirmations are on, as GoTrue does). */
export function checkEmailRateLimit(emu: Emulator): void {
  if (!emu.config.mailerAutoconfirm && !emu.limits.email.allow()) {
    throw tooManyRequests("over_email_send_rate_limit", "email rate limit exceeded");
  }
}

/**
 * Renders one mail and records it; metadata carries the link and code for tests and tooling. It is written
 * on `db`, the caller's transaction, so a request never waits for a second pooled connection.
 */
export async function sendAuthMail(db: Db, emu: Emulator, mail: AuthMail): Promise<void> {
  const type = mail.kind;
  const link = type === "reauthentication" ? "" : actionLink(emu, mail.hashedToken, type, mail.redirectTo);
  const rendered = renderAuthMail(
    mail.kind,
    { link, otp: mail.otp, newEmail: mail.newEmail ?? "", codeUrl: codeUrl(emu, mail) },
    mailLocale(mail.data),
  );
  await recordMessage(db as Sql, {
    channel: "email",
    provider: "auth",
    recipient: mail.to,
    sender: MAIL_SENDER,
    subject: rendered.subject,
    body_text: rendered.text,
    body_html: rendered.html,
    metadata: {
      verification_type: type,
      action_link: link,
      email_otp: mail.otp,
      hashed_token: mail.hashedToken,
      redirect_to: mail.redirectTo,
    },
  });
}
