/**
 * Texts of the Auth emails, in the user's language first (the `locale` kept in user metadata at sign-up, Persian
 * when unknown) and the other language after it; the subject in the user's language. The hosted project sends the
 * same texts from supabase/templates/ (tests/integration/auth_mail_locale_test.ts keeps the two in step).
 */

export type MailKind = "signup" | "invite" | "magiclink" | "recovery" | "email_change" | "reauthentication";

interface MailText {
  /** `{otp}` is replaced by the code. */
  subject: string;
  intro: (vars: { newEmail: string }) => string;
  action: string;
  outro?: string;
  code: string;
  /** The link to the app's page where the code can be typed (signup and magic link). */
  codePage?: string;
}

export const MAIL_TEXTS: Record<MailKind, { en: MailText; fa: MailText }> = {
  signup: {
    en: {
      subject: "Confirm your email address for Pishkhan",
      intro: () => "Follow the link below to confirm this email address and finish signing up.",
      action: "Confirm email address",
      code: "Or enter this code:",
      codePage: "Enter the code in Pishkhan",
    },
    fa: {
      subject: "تأیید نشانی ایمیل در پیشخوان",
      intro: () => "برای تأیید این نشانی ایمیل و پایان ثبت‌نام، پیوند زیر را باز کنید.",
      action: "تأیید نشانی ایمیل",
      code: "یا این کد را وارد کنید:",
      codePage: "وارد کردن کد در پیشخوان",
    },
  },
  invite: {
    en: {
      subject: "You've been invited",
      intro: () => "You've been invited to create an account. Follow the link below to accept.",
      action: "Accept invitation",
      code: "Or enter this code:",
    },
    fa: {
      subject: "به پیشخوان دعوت شده‌اید",
      intro: () => "برای ساختن حساب کاربری دعوت شده‌اید. برای پذیرفتن دعوت، پیوند زیر را باز کنید.",
      action: "پذیرفتن دعوت",
      code: "یا این کد را وارد کنید:",
    },
  },
  magiclink: {
    en: {
      subject: "Your sign-in link",
      intro: () => "Follow the link below to sign in. This link expires shortly and can only be used once.",
      action: "Sign in",
      code: "Or enter this code:",
      codePage: "Enter the code in Pishkhan",
    },
    fa: {
      subject: "پیوند ورود شما",
      intro: () => "برای ورود، پیوند زیر را باز کنید. این پیوند زود منقضی می‌شود و فقط یک بار کار می‌کند.",
      action: "ورود",
      code: "یا این کد را وارد کنید:",
      codePage: "وارد کردن کد در پیشخوان",
    },
  },
  recovery: {
    en: {
      subject: "Reset your password",
      intro: () => "We received a request to reset your password. Follow the link below to choose a new one.",
      action: "Reset password",
      outro: "If you didn't request this, you can safely ignore this email.",
      code: "Or enter this code:",
    },
    fa: {
      subject: "بازنشانی رمز عبور",
      intro: () =>
        "درخواستی برای بازنشانی رمز عبور شما رسید. برای انتخاب رمز عبور تازه، پیوند زیر را باز کنید.",
      action: "بازنشانی رمز عبور",
      outro: "اگر این درخواست را شما نفرستاده‌اید، این ایمیل را نادیده بگیرید.",
      code: "یا این کد را وارد کنید:",
    },
  },
  email_change: {
    en: {
      subject: "Confirm your new email address",
      intro: ({ newEmail }) => `Follow the link below to confirm ${newEmail} as your new email address.`,
      action: "Confirm new email address",
      outro: "If you didn't request this change, you can safely ignore this email.",
      code: "Or enter this code:",
    },
    fa: {
      subject: "تأیید نشانی ایمیل تازه",
      intro: ({ newEmail }) => `برای تأیید ${newEmail} به‌عنوان نشانی ایمیل تازهٔ خود، پیوند زیر را باز کنید.`,
      action: "تأیید نشانی تازه",
      outro: "اگر این تغییر را شما نخواسته‌اید، این ایمیل را نادیده بگیرید.",
      code: "یا این کد را وارد کنید:",
    },
  },
  reauthentication: {
    en: {
      subject: "{otp} is your verification code",
      intro: () => "Use the code below to verify your identity. It expires shortly.",
      action: "",
      code: "Your code:",
    },
    fa: {
      subject: "کد تأیید شما: {otp}",
      intro: () => "برای تأیید هویت خود این کد را وارد کنید. این کد زود منقضی می‌شود.",
      action: "",
      code: "کد شما:",
    },
  },
};

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

export interface MailVars {
  link: string;
  otp: string;
  newEmail: string;
  /** The app's code page for this address (signup and magic link), when known. */
  codeUrl?: string;
}

function section(text: MailText, vars: MailVars, dir: "ltr" | "rtl") {
  const lang = dir === "rtl" ? "fa" : "en";
  return `<div dir="${dir}" lang="${lang}" style="font-family:system-ui,Vazirmatn,sans-serif;margin:0 0 24px">
<h2>${escape(subjectOf(text, vars.otp))}</h2>
<p>${escape(text.intro(vars))}</p>
${text.action ? `<p><a href="${escape(vars.link)}">${escape(text.action)}</a></p>` : ""}
<p>${escape(text.code)} <strong dir="ltr">${escape(vars.otp)}</strong></p>
${
    text.codePage && vars.codeUrl
      ? `<p><a href="${escape(vars.codeUrl)}">${escape(text.codePage)}</a></p>`
      : ""
  }
${text.outro ? `<p>${escape(text.outro)}</p>` : ""}</div>`;
}

const subjectOf = (text: MailText, otp: string) => text.subject.replace("{otp}", otp);

/** The language of an Auth email: the `locale` the app stored in user metadata, Persian when there is none. */
export function mailLocale(userMetadata: unknown): "fa" | "en" {
  const locale = (userMetadata as { locale?: unknown } | null)?.locale;
  return locale === "en" ? "en" : "fa";
}

/** Subject, HTML and plain-text bodies of one Auth email: `locale` first (and in the subject), then the other. */
export function renderAuthMail(kind: MailKind, vars: MailVars, locale: "fa" | "en" = "fa") {
  const texts = MAIL_TEXTS[kind];
  const [first, second] = locale === "en" ? [texts.en, texts.fa] : [texts.fa, texts.en];
  const dir = (l: "fa" | "en") => l === "fa" ? "rtl" : "ltr";
  const other = locale === "en" ? "fa" : "en";
  const text = (t: MailText) =>
    [
      subjectOf(t, vars.otp),
      "",
      t.intro(vars),
      "",
      t.action ? `${t.action}: ${vars.link}` : "",
      `${t.code} ${vars.otp}`,
      t.codePage && vars.codeUrl ? `${t.codePage}: ${vars.codeUrl}` : "",
      t.outro ?? "",
    ].join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return {
    subject: subjectOf(first, vars.otp),
    html: `<!doctype html><html lang="${locale}" dir="${dir(locale)}"><body>${
      section(first, vars, dir(locale))
    }<hr>${section(second, vars, dir(other))}</body></html>`,
    text: `${text(first)}\n\n---\n\n${text(second)}\n`,
  };
}
