/**
 * Auth emails in the user's language, and the page where their code is typed: sign up in fa or en through the
 * app, the confirmation email's subject and first section are in that language, its "enter this code" links to
 * /auth/code, and the code typed there (in Persian digits) confirms the account and signs in.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { parse } from "smol-toml";
import type { Stack } from "../../local/stack.ts";
import { db } from "../_support/db.ts";
import { MAIL_TEXTS } from "../../local/auth/mail_templates.ts";
import { HOSTED_TEMPLATES, hostedSubject, hostedTemplate } from "../../local/auth/hosted_templates.ts";
import { Client, withStack } from "./auth_http_client.ts";

interface Mail {
  id: number;
  subject: string;
  body_text: string | null;
  body_html: string | null;
  metadata: { email_otp?: string };
}

async function mailTo(stack: Stack, email: string): Promise<Mail> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${stack.gatewayUrl}/_dev/outbox/messages.json?to=${encodeURIComponent(email)}`);
    const { messages } = await res.json() as { messages: Mail[] };
    if (messages[0]) return messages[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail reached ${email}`);
}

async function signUp(stack: Stack, locale: "fa" | "en") {
  const client = new Client(stack.appUrl);
  client.cookies.set("locale", locale);
  const email = `mail-${locale}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const res = await client.post("/auth/signup", {
    full_name: "Sara",
    email,
    password: "Str0ngPass",
    password_confirm: "Str0ngPass",
  });
  assertEquals(res.status, 303);
  await res.body?.cancel();
  return { client, email, mail: await mailTo(stack, email) };
}

const persianDigits = (text: string) => text.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);

Deno.test("[auth mail] the confirmation email in the sign-up page's language; its code typed on /auth/code", async (t) => {
  await withStack(async (stack) => {
    await t.step("fa — Persian subject, Persian first, a link to the code page", async () => {
      const { email, mail } = await signUp(stack, "fa");
      assertEquals(mail.subject, "تأیید نشانی ایمیل در پیشخوان");
      assertMatch(
        mail.body_html!,
        /^<!doctype html><html lang="fa" dir="rtl"><body><div dir="rtl" lang="fa"/,
      );
      assert(
        mail.body_text!.indexOf("یا این کد را وارد کنید") < mail.body_text!.indexOf("Or enter this code"),
      );
      assertStringIncludes(mail.body_html!, `/auth/code?email=${encodeURIComponent(email)}`);
      const { rows } = await sql<{ locale: string }>`select raw_user_meta_data ->> 'locale' as locale
        from auth.users where email = ${email}`.execute(db());
      assertEquals(rows[0].locale, "fa", "the locale is kept in user metadata");
    });

    await t.step("en — English subject, English first", async () => {
      const { mail } = await signUp(stack, "en");
      assertEquals(mail.subject, "Confirm your email address for Pishkhan");
      assertMatch(
        mail.body_html!,
        /^<!doctype html><html lang="en" dir="ltr"><body><div dir="ltr" lang="en"/,
      );
    });

    await t.step(
      "the code page: a wrong code is an inline error; the right one confirms and signs in",
      async () => {
        const { client, email, mail } = await signUp(stack, "fa");
        const codeUrl = new URL(
          /href="([^"]*\/auth\/code\?[^"]*)"/.exec(mail.body_html!)![1].replaceAll("&amp;", "&"),
        );
        const form = await client.get(`${codeUrl.pathname}${codeUrl.search}`);
        assertEquals(form.status, 200);
        const html = await form.text();
        assertMatch(html, new RegExp(`name="email"[^>]*value="${email}"`), "the address is filled in");
        assertMatch(
          html,
          /name="code"[^>]*autocomplete="one-time-code"|autocomplete="one-time-code"[^>]*name="code"/,
        );

        const wrong = await client.post("/auth/code", { email, code: "000000" });
        assertEquals(wrong.status, 400);
        const page = await wrong.text();
        assertStringIncludes(page, 'id="field-code-error"');
        assertMatch(page, new RegExp(`name="email"[^>]*value="${email}"`), "the address is kept");

        const otp = mail.metadata.email_otp!;
        const ok = await client.post("/auth/code", { email, code: persianDigits(otp) });
        assertEquals([ok.status, ok.headers.get("location")], [303, "/wallet"]);
        await ok.body?.cancel();
        const { rows } = await sql<{ confirmed: boolean }>`select email_confirmed_at is not null as confirmed
        from auth.users where email = ${email}`.execute(db());
        assertEquals(rows[0].confirmed, true);
        const wallet = await client.get("/wallet");
        assertEquals(wallet.status, 200, "signed in");
        await wallet.body?.cancel();
      },
    );
  });
});

Deno.test("[auth mail] the hosted templates say what the local emulator says, the user's language first", () => {
  const config = parse(Deno.readTextFileSync(new URL("../../supabase/config.toml", import.meta.url))) as {
    auth: { email: { template: Record<string, { subject: string; content_path: string }> } };
  };
  for (const [kind, name] of Object.entries(HOSTED_TEMPLATES) as [keyof typeof MAIL_TEXTS, string][]) {
    const template = config.auth.email.template[name];
    assert(template, `[auth.email.template.${name}]`);
    assertEquals(template.subject, hostedSubject(kind), `${name}: subject`);
    const html = Deno.readTextFileSync(new URL(`../../${template.content_path}`, import.meta.url));
    // The same lines (deno fmt indents the committed files).
    const lines = (text: string) => text.split("\n").map((line) => line.trim()).filter(Boolean);
    assertEquals(
      lines(html),
      lines(hostedTemplate(kind)),
      `${name}: run deno run -A local/auth/hosted_templates.ts`,
    );
    // English first only for English users; Persian first otherwise, both with every text.
    const [english, persian] = html.split("{{ else }}");
    const { en, fa } = MAIL_TEXTS[kind];
    assert(english.indexOf(en.code) < english.indexOf(fa.code), `${name}: English first for en`);
    assert(persian.indexOf(fa.code) < persian.indexOf(en.code), `${name}: Persian first otherwise`);
    if (fa.codePage) assertStringIncludes(persian, "{{ .SiteURL }}/auth/code?email={{ .Email }}");
  }
  assertEquals(
    hostedSubject("signup"),
    `{{ if eq (printf "%v" .Data.locale) "en" }}Confirm your email address for Pishkhan{{ else }}تأیید نشانی ایمیل در پیشخوان{{ end }}`,
  );
});
