import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import {
  Client,
  createAccount,
  lastMailId,
  magicTokenHash,
  mailedLink,
  signIn,
  withStack,
} from "./auth_http_client.ts";

async function auditActions(userIdOrEmail: string): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`
    select action from public.audit_log
    where target_id = ${userIdOrEmail} or actor_id::text = ${userIdOrEmail} order by id`.execute(db());
  return rows.map((r) => r.action);
}

Deno.test("[auth] sign-up — confirm by the emailed link, land signed in on the wallet, audited", async () => {
  await withStack(async (stack) => {
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const email = `newcomer-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    const form = {
      full_name: "Sara Newcomer",
      email,
      password: "Str0ngPass",
      password_confirm: "Str0ngPass",
    };
    const res = await client.post("/auth/signup", form);
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), "/auth/sent?kind=signup");
    const link = await mailedLink(stack, email);
    const { res: landed, url } = await client.follow(await fetch(link, { redirect: "manual" }), link);
    assertEquals(new URL(url).pathname, "/wallet");
    assertEquals(landed.status, 200);
    assertStringIncludes(await landed.text(), email);
    assertStringIncludes(await (await client.get("/profile")).text(), 'value="Sara Newcomer"');
    const session = [...client.cookies.keys()].find((name) => /^sb-.+-auth-token(\.0)?$/.test(name));
    assert(session, "a session cookie is set");
    const { rows } = await sql<{ id: string }>`select id from auth.users where email = ${email}`.execute(
      db(),
    );
    assertEquals(await auditActions(rows[0].id), ["auth.sign_up", "auth.sign_in"]);
  });
});

Deno.test("[auth] sign-up — bad input is shown next to each field (400), and nothing is created", async () => {
  await withStack(async (stack) => {
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const email = `weak-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    const res = await client.post("/auth/signup", {
      full_name: "",
      email,
      password: "weakpass",
      password_confirm: "different",
    });
    assertEquals(res.status, 400);
    const html = await res.text();
    assertMatch(html, /aria-invalid="true" aria-describedby="field-full_name-error"/);
    assertMatch(html, /id="field-password-error">The password does not meet the rules below\./);
    assertMatch(html, /aria-describedby="field-password-rules field-password-error"/);
    assertMatch(html, /id="field-password_confirm-error">The two passwords are not the same\./);
    assertStringIncludes(html, `value="${email}"`);
    const { rows } = await sql`select 1 from auth.users where email = ${email}`.execute(db());
    assertEquals(rows.length, 0);
  });
});

Deno.test("[auth] sign-in — a wrong password is refused and audited; the right one goes to next", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "signer");
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const wrong = await client.post("/signin", { email: account.email, password: "Wrong-pass1" });
    assertEquals(wrong.status, 400);
    assertStringIncludes(await wrong.text(), "The email or password is not correct.");
    assertEquals(await signIn(client, account, "/profile?x=1"), "/profile?x=1");
    const profile = await client.get("/profile");
    assertEquals(profile.status, 200);
    assertStringIncludes(await profile.text(), account.email);
    assertEquals(await auditActions(account.email.toLowerCase()), ["auth.sign_in_failed"]);
    assertEquals(await auditActions(account.id), ["auth.sign_in"]);
    // An off-site `next` falls back to the wallet.
    assertEquals(await signIn(new Client(stack.appUrl), account, "//evil.example/x"), "/wallet");
  });
});

Deno.test("[auth] sign-in — an unconfirmed address is told to confirm first", async () => {
  await withStack(async (stack) => {
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const email = `unconfirmed-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    await (await client.post("/auth/signup", {
      full_name: "U",
      email,
      password: "Str0ngPass",
      password_confirm: "Str0ngPass",
    })).body?.cancel();
    const res = await client.post("/signin", { email, password: "Str0ngPass" });
    assertEquals(res.status, 400);
    assertStringIncludes(await res.text(), "Confirm your email address first");
  });
});

Deno.test("[auth] profile — edits are saved (303), Persian digits accepted, the locale cookie follows", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "editor");
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(client, account);
    const res = await client.post("/profile", {
      full_name: "Reza Editor",
      phone: "۰۹۱۲ ۱۲۳ ۴۵۶۷",
      locale: "fa",
      notify_email: "on",
      notify_whatsapp: "on",
    });
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), "/profile?notice=saved");
    assertEquals(client.cookies.get("locale"), "fa");
    const { rows } = await sql<Record<string, unknown>>`
      select full_name, phone, locale, notify_email, notify_sms, notify_whatsapp from public.profiles
      where id = ${account.id}`.execute(db());
    assertEquals(rows[0], {
      full_name: "Reza Editor",
      phone: "+989121234567",
      locale: "fa",
      notify_email: true,
      notify_sms: false,
      notify_whatsapp: true,
    });
    const page = await (await client.get("/profile?notice=saved")).text();
    assertMatch(page, /<html lang="fa" dir="rtl">/);
    assertStringIncludes(page, "نمایهٔ شما ذخیره شد.");
    const bad = await client.post("/profile", { full_name: "x", phone: "12ab", locale: "en" });
    assertEquals(bad.status, 400);
    assertMatch(await bad.text(), /aria-describedby="field-phone-hint field-phone-error"/);
  });
});

Deno.test("[auth] protected pages — anonymous visitors are sent to sign in with a way back", async () => {
  await withStack(async (stack) => {
    const client = new Client(stack.appUrl);
    const res = await client.get("/profile");
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), "/signin?next=%2Fprofile");
    const api = await client.get("/profile", { accept: "application/json" });
    assertEquals(api.status, 401);
    assertEquals((await api.json()).error.code, "unauthorized");
  });
});

Deno.test("[auth] recovery — forgot password, follow the link, choose a new one, sign in with it", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "forgetful");
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const before = await lastMailId(stack, account.email);
    const res = await client.post("/auth/forgot", { email: account.email });
    assertEquals(res.headers.get("location"), "/auth/sent?kind=recovery");
    const link = await mailedLink(stack, account.email, before);
    const { url } = await client.follow(await fetch(link, { redirect: "manual" }), link);
    assertEquals(new URL(url).pathname, "/auth/reset");
    const weak = await client.post("/auth/reset", { password: "short", password_confirm: "short" });
    assertEquals(weak.status, 400);
    const done = await client.post("/auth/reset", {
      password: "N3wPassword",
      password_confirm: "N3wPassword",
    });
    assertEquals(done.status, 303);
    assertEquals(done.headers.get("location"), "/profile?notice=password_changed");
    await signIn(new Client(stack.appUrl), { email: account.email, password: "N3wPassword" });
    const old = await new Client(stack.appUrl).post("/signin", {
      email: account.email,
      password: account.password,
    });
    assertEquals(old.status, 400);
    const actions = await auditActions(account.id);
    assert(actions.includes("auth.password_change"), actions.join());
    // Unknown addresses get the same answer, so the form does not reveal who has an account.
    const unknown = await client.post("/auth/forgot", {
      email: `nobody-${crypto.randomUUID()}@test.pishkhan.local`,
    });
    assertEquals(unknown.headers.get("location"), "/auth/sent?kind=recovery");
  });
});

Deno.test("[auth] reset page — only right after a recovery link; otherwise to the profile", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "nolink");
    const client = new Client(stack.appUrl);
    await signIn(client, account);
    const res = await client.get("/auth/reset");
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), "/profile#password");
  });
});

Deno.test("[auth] magic link — emailed, followed, signed in; unknown addresses look the same", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "magic");
    const client = new Client(stack.appUrl);
    const res = await client.post("/auth/magic", { email: account.email });
    assertEquals(res.headers.get("location"), "/auth/sent?kind=magic");
    const link = await mailedLink(stack, account.email);
    const { url } = await client.follow(await fetch(link, { redirect: "manual" }), link);
    assertEquals(new URL(url).pathname, "/wallet");
    assertEquals((await client.get("/profile")).status, 200);
    const unknown = await client.post("/auth/magic", {
      email: `nobody-${crypto.randomUUID()}@test.pishkhan.local`,
    });
    assertEquals(unknown.headers.get("location"), "/auth/sent?kind=magic");
  });
});

Deno.test("[auth] profile password — needs the current password; then the new one works", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "changer");
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(client, account);
    const wrong = await client.post("/profile/password", {
      current_password: "Not-it-1",
      password: "Chang3dPass",
      password_confirm: "Chang3dPass",
    });
    assertEquals(wrong.status, 400);
    assertMatch(
      await wrong.text(),
      /id="field-current_password-error">The current password is not correct\./,
    );
    const ok = await client.post("/profile/password", {
      current_password: account.password,
      password: "Chang3dPass",
      password_confirm: "Chang3dPass",
    });
    assertEquals(ok.status, 303);
    assertEquals(ok.headers.get("location"), "/profile?notice=password_changed");
    await signIn(new Client(stack.appUrl), { email: account.email, password: "Chang3dPass" });
    // The session that changed the password is still signed in.
    assertEquals((await client.get("/profile")).status, 200);
  });
});

Deno.test("[auth] OAuth — GitHub with PKCE through the consent page; next is kept; cancelling says so", async () => {
  await withStack(async (stack) => {
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const consent = async (decision: "allow" | "deny", email: string) => {
      const start = await client.get("/auth/oauth/github?next=%2Fprofile%3Ftab%3D1");
      assertEquals(start.status, 303);
      assert(client.cookies.has("pk_next"), "next is remembered for the way back");
      assert([...client.cookies.keys()].some((k) => k.endsWith("-code-verifier")), "PKCE verifier cookie");
      const { res: page, url } = await client.follow(start, `${stack.appUrl}/auth/oauth/github`);
      const html = await page.text();
      const field = (name: string) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? "";
      const posted = await fetch(url, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({
          state: field("state"),
          redirect_uri: field("redirect_uri"),
          email,
          decision,
        }),
      });
      return await client.follow(posted, url);
    };
    const email = `octo-${crypto.randomUUID().slice(0, 8)}@github.local`;
    const cancelled = await consent("deny", email);
    assertEquals(
      new URL(cancelled.url).pathname + new URL(cancelled.url).search,
      "/signin?problem=cancelled",
    );
    assertStringIncludes(await cancelled.res.text(), "Sign-in was cancelled.");
    const allowed = await consent("allow", email);
    assertEquals(new URL(allowed.url).pathname + new URL(allowed.url).search, "/profile?tab=1");
    assertStringIncludes(await allowed.res.text(), email);
    const { rows } = await sql<{ id: string }>`select id from auth.users where email = ${email}`.execute(
      db(),
    );
    const { rows: entries } = await sql<{ metadata: { method: string } }>`
      select metadata from public.audit_log where action = 'auth.sign_in' and actor_id = ${rows[0].id}`
      .execute(db());
    assertEquals(entries.map((e) => e.metadata.method), ["oauth"]);
  });
});

const sessionCookie = (client: Client) =>
  [...client.cookies.keys()].find((name) => /^sb-.+-auth-token(\.0)?$/.test(name));

Deno.test("[auth] login CSRF — an emailed-link GET only shows a confirm page; the POST needs our origin", async () => {
  await withStack(async (stack) => {
    const attacker = await createAccount(stack, "attacker");
    const victim = new Client(stack.appUrl, { "accept-language": "en" });
    const hash = await magicTokenHash(stack, attacker.email);
    const link = `/auth/callback?token_hash=${encodeURIComponent(hash)}&type=magiclink`;
    const page = await victim.get(link);
    assertEquals(page.status, 200, "a GET must not sign anyone in");
    const html = await page.text();
    assertEquals(sessionCookie(victim), undefined);
    assertMatch(html, /<form method="post" action="\/auth\/callback">/);
    assertStringIncludes(html, `name="token_hash" value="${hash}"`);
    assertStringIncludes(html, ">Sign in</button>");
    // A cross-site auto-submitted form is refused by the origin check, and the token stays unused.
    const forged = await victim.request("/auth/callback", {
      method: "POST",
      body: new URLSearchParams({ token_hash: hash, type: "magiclink" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    assertEquals(forged.status, 403);
    assertEquals(sessionCookie(victim), undefined);
    // The person who asked for the link presses the button: signed in.
    const pressed = await victim.post("/auth/callback", { token_hash: hash, type: "magiclink" });
    assertEquals(pressed.status, 303);
    assertEquals(pressed.headers.get("location"), "/wallet");
    assert(sessionCookie(victim));
  });
});

Deno.test("[auth] login CSRF — a signed-in browser is told whose session a link would replace", async () => {
  await withStack(async (stack) => {
    const owner = await createAccount(stack, "owner");
    const attacker = await createAccount(stack, "intruder");
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(client, owner);
    const hash = await magicTokenHash(stack, attacker.email);
    for (const type of ["magiclink", "recovery", "signup", "email_change"]) {
      const page = await client.get(`/auth/callback?token_hash=${encodeURIComponent(hash)}&type=${type}`);
      assertEquals(page.status, 200, type);
      const html = await page.text();
      assertStringIncludes(
        html,
        `You are signed in as <bdi dir="ltr" class="ltr-inline">${owner.email}</bdi>.`,
      );
      assertStringIncludes(html, `href="/wallet">Stay signed in</a>`);
    }
    // Still the owner's session.
    assertStringIncludes(await (await client.get("/profile")).text(), owner.email);
  });
});
