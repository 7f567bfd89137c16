/**
 * Onboarding: the home page is for customers (sign up, or — signed in — who you are and the way to your
 * wallet); a confirmed sign-up or a sign-in lands on the wallet (or the page asked for, by the safeNext rules)
 * with a first-time welcome shown once; the header's language switch and the profile's language are one
 * setting.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { Client, createAccount, mailedLink, signIn, withStack } from "./auth_http_client.ts";

const welcomed = (html: string) => html.includes("data-welcome");

async function profileLocale(id: string): Promise<string> {
  const { rows } = await sql<{ locale: string }>`select locale from public.profiles where id = ${id}`.execute(
    db(),
  );
  return rows[0].locale;
}

Deno.test("[onboarding] sign-up confirmation lands on the wallet with a welcome, once", async () => {
  await withStack(async (stack) => {
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    const home = await (await client.get("/")).text();
    assertStringIncludes(home, 'href="/auth/signup"');
    assert(!home.includes("data-signed-in"));

    const email = `onboard-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    const form = { full_name: "Nima New", email, password: "Str0ngPass", password_confirm: "Str0ngPass" };
    assertEquals((await client.post("/auth/signup", form)).status, 303);
    const link = await mailedLink(stack, email);
    const { res, url } = await client.follow(await fetch(link, { redirect: "manual" }), link);
    assertEquals(new URL(url).pathname, "/wallet");
    const first = await res.text();
    assert(welcomed(first), "the first visit shows the welcome");
    assertStringIncludes(first, 'href="/wallet/topup"');
    assertStringIncludes(first, 'href="/profile#field-phone"');
    assert(!welcomed(await (await client.get("/wallet")).text()), "the welcome is shown once");

    const signedIn = await (await client.get("/")).text();
    assertStringIncludes(signedIn, "data-signed-in");
    assertStringIncludes(signedIn, email);
    assertStringIncludes(signedIn, 'class="button" href="/wallet"');
  });
});

Deno.test("[onboarding] sign-in lands on the wallet, or on the page asked for; welcome once per account", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "returning");
    const client = new Client(stack.appUrl, { "accept-language": "fa" });
    const res = await client.post("/signin", { email: account.email, password: account.password });
    assertEquals([res.status, res.headers.get("location")], [303, "/wallet"]);
    await res.body?.cancel();
    const wallet = await (await client.get("/wallet")).text();
    assert(welcomed(wallet), "a new account's first wallet visit shows the welcome");
    assertStringIncludes(wallet, "به کیف پولتان خوش آمدید");
    // Another device: no second welcome; `next` is kept, a hostile one falls back to the wallet.
    const laptop = new Client(stack.appUrl, { "accept-language": "en" });
    assertEquals(await signIn(laptop, account, "/wallet/transfer"), "/wallet/transfer");
    assert(!welcomed(await (await laptop.get("/wallet")).text()));
    assertEquals(await signIn(new Client(stack.appUrl), account, "//evil.example/x"), "/wallet");
    const plain = new Client(stack.appUrl);
    const form = await (await plain.get("/signin")).text();
    assert(!form.includes('name="next"'), "no return address: the wallet is where sign-in lands");
  });
});

Deno.test("[onboarding] language — the header switch saves the profile's language; the profile sets the cookie", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "polyglot");
    const client = new Client(stack.appUrl, { "accept-language": "fa" });
    await signIn(client, account, "/wallet");
    assertEquals(await profileLocale(account.id), "fa");
    const switched = await client.post("/locale", { locale: "en", return_to: "/wallet" });
    assertEquals([switched.status, switched.headers.get("location")], [303, "/wallet"]);
    assertEquals(await profileLocale(account.id), "en");
    assertEquals(client.cookies.get("locale"), "en");
    assertStringIncludes(await (await client.get("/profile")).text(), '<option value="en" selected');
    const back = await client.post("/profile", { full_name: "Poly Glot", phone: "", locale: "fa" });
    assertEquals(back.status, 303);
    assertEquals(client.cookies.get("locale"), "fa");
    assertEquals(await profileLocale(account.id), "fa");
    // A visitor's switch sets only the cookie.
    const visitor = new Client(stack.appUrl);
    assertEquals((await visitor.post("/locale", { locale: "en", return_to: "/" })).status, 303);
    assertEquals(visitor.cookies.get("locale"), "en");
  });
});
