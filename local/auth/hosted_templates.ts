/**
 * The hosted project's Auth email templates (supabase/templates/*.html and their subjects in
 * supabase/config.toml), made from the texts the local emulator sends (mail_templates.ts): the user's language
 * first, picked by `.Data.locale` (the page language the app keeps in user metadata at sign-up), Persian when
 * there is none. `deno run -A local/auth/hosted_templates.ts` writes the HTML files (then formatted by deno fmt)
 * and prints the TOML;
 * tests/integration/auth_mail_locale_test.ts fails when the committed files differ.
 */
import { MAIL_TEXTS, type MailKind } from "./mail_templates.ts";

/** GoTrue's template names (config.toml `[auth.email.template.<name>]`) by mail kind. */
export const HOSTED_TEMPLATES: Record<MailKind, string> = {
  signup: "confirmation",
  invite: "invite",
  magiclink: "magic_link",
  recovery: "recovery",
  email_change: "email_change",
  reauthentication: "reauthentication",
};

const ENGLISH = `{{ if eq (printf "%v" .Data.locale) "en" }}`;
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const otp = (s: string) => s.replace("{otp}", "{{ .Token }}");

function section(kind: MailKind, lang: "fa" | "en"): string {
  const t = MAIL_TEXTS[kind][lang];
  return [
    `<div dir="${
      lang === "fa" ? "rtl" : "ltr"
    }" lang="${lang}" style="font-family:system-ui,Vazirmatn,sans-serif;margin:0 0 24px">`,
    `<h2>${escape(otp(t.subject))}</h2>`,
    `<p>${escape(t.intro({ newEmail: "{{ .NewEmail }}" }))}</p>`,
    t.action ? `<p><a href="{{ .ConfirmationURL }}">${escape(t.action)}</a></p>` : "",
    `<p>${escape(t.code)} <strong dir="ltr">{{ .Token }}</strong></p>`,
    t.codePage
      ? `<p><a href="{{ .SiteURL }}/auth/code?email={{ .Email }}">${escape(t.codePage)}</a></p>`
      : "",
    t.outro ? `<p>${escape(t.outro)}</p>` : "",
    `</div>`,
  ].filter(Boolean).join("\n");
}

/** The HTML of one hosted template: English first for English users, else Persian first. */
export function hostedTemplate(kind: MailKind): string {
  const body = (first: "fa" | "en", second: "fa" | "en") =>
    `<html lang="${first}"${first === "fa" ? ' dir="rtl"' : ""}>\n<body>\n${section(kind, first)}\n<hr>\n${
      section(kind, second)
    }\n</body>\n</html>`;
  return `<!-- Made by local/auth/hosted_templates.ts from local/auth/mail_templates.ts; do not edit by hand. -->
${ENGLISH}
${body("en", "fa")}
{{ else }}
${body("fa", "en")}
{{ end }}
`;
}

/** The subject of one hosted template, in the user's language. */
export function hostedSubject(kind: MailKind): string {
  const { en, fa } = MAIL_TEXTS[kind];
  return `${ENGLISH}${otp(en.subject)}{{ else }}${otp(fa.subject)}{{ end }}`;
}

if (import.meta.main) {
  for (const [kind, name] of Object.entries(HOSTED_TEMPLATES) as [MailKind, string][]) {
    Deno.writeTextFileSync(
      new URL(`../../supabase/templates/${name}.html`, import.meta.url),
      hostedTemplate(kind),
    );
    console.log(`[auth.email.template.${name}]\nsubject = ${JSON.stringify(hostedSubject(kind))}`);
    console.log(`content_path = "./supabase/templates/${name}.html"\n`);
  }
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", "supabase/templates/"] }).output();
}
