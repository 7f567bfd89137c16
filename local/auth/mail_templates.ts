/** Texts of the Auth emails: GoTrue's default templates in English, followed by a Persian version. */

export type MailKind = "signup" | "invite" | "magiclink" | "recovery" | "email_change" | "reauthentication";

interface MailText {
  /** `{otp}` is replaced by the code. */
  subject: string;
  intro: (vars: { newEmail: string }) => string;
  action: string;
  outro?: string;
  code: string;
}

export const MAIL_TEXTS: Record<MailKind, { en: MailText; fa: MailText }> = {
  signup: {
    en: {
      subject: "Confirm your email address",
      intro: () => "Follow the link below to confirm this email address and finish signing up.",
      action: "Confirm email address",
      code: "Or enter this code:",
    },
    fa: {
      subject: "تأیید نشانی ایمیل",
      intro: () => "برای تأیید این نشانی ایمیل و پایان ثبت‌نام، پیوند زیر را باز کنید.",
      action: "تأیید نشانی ایمیل",
      code: "یا این کد را وارد کنید:",
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
    },
    fa: {
      subject: "پیوند ورود شما",
      intro: () => "برای ورود، پیوند زیر را باز کنید. این پیوند زود منقضی می‌شود و فقط یک بار کار می‌کند.",
      action: "ورود",
      code: "یا این کد را وارد کنید:",
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
      subject: "بازنشانی گذرواژه",
      intro: () =>
        "درخواستی برای بازنشانی گذرواژهٔ شما رسید. برای انتخاب گذرواژهٔ تازه، پیوند زیر را باز کنید.",
      action: "بازنشانی گذرواژه",
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

function section(text: MailText, vars: { link: string; otp: string; newEmail: string }, dir: "ltr" | "rtl") {
  const lang = dir === "rtl" ? "fa" : "en";
  return `<div dir="${dir}" lang="${lang}" style="font-family:system-ui,Vazirmatn,sans-serif;margin:0 0 24px">
<h2>${escape(subjectOf(text, vars.otp))}</h2>
<p>${escape(text.intro(vars))}</p>
${text.action ? `<p><a href="${escape(vars.link)}">${escape(text.action)}</a></p>` : ""}
<p>${escape(text.code)} <strong dir="ltr">${escape(vars.otp)}</strong></p>
${text.outro ? `<p>${escape(text.outro)}</p>` : ""}</div>`;
}

const subjectOf = (text: MailText, otp: string) => text.subject.replace("{otp}", otp);

/** Subject, HTML and plain-text bodies of one Auth email. */
export function renderAuthMail(kind: MailKind, vars: { link: string; otp: string; newEmail: string }) {
  const { en, fa } = MAIL_TEXTS[kind];
  const text = (t: MailText) =>
    [
      subjectOf(t, vars.otp),
      "",
      t.intro(vars),
      "",
      t.action ? `${t.action}: ${vars.link}` : "",
      `${t.code} ${vars.otp}`,
      t.outro ?? "",
    ].join("\n").trim();
  return {
    subject: subjectOf(en, vars.otp),
    html: `<!doctype html><html><body>${section(en, vars, "ltr")}<hr>${
      section(fa, vars, "rtl")
    }</body></html>`,
    text: `${text(en)}\n\n---\n\n${text(fa)}\n`,
  };
}
