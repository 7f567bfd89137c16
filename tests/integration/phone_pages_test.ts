/**
 * The phone pages over HTTP against the whole local stack: sign-up and sign-in by phone with the code from
 * the outbox (typed in Persian digits), the sixth wrong code refused without asking Auth, the profile's phone
 * change, and money that follows only a number verified this way.
 */
import { createClient } from "@supabase/supabase-js";
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { Client, createAccount, signIn, startAuthStack } from "./auth_http_client.ts";
import { lastSmsId, smsCode, smsTo, uniqueMobile } from "../_support/sms.ts";
import { fund, walletOf } from "../_support/ledger.ts";
import { displayPhone } from "../../lib/users/phone.ts";

const stack = await startAuthStack();
addEventListener("unload", () => void stack.stop());

const persian = (digits: string) => digits.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
const admin = () =>
  createClient(stack.gatewayUrl, stack.keys.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  }).auth.admin;
const local = (e164: string) => `0${e164.slice(3)}`;

Deno.test("[phone pages] sign up by phone, then the code typed in Persian digits signs in and verifies the number", async () => {
  const phone = uniqueMobile();
  const client = new Client(stack.appUrl, { "accept-language": "fa" });
  const res = await client.post("/auth/phone/signup", {
    full_name: "Nasrin",
    phone: persian(local(phone)),
    password: "Phone-Pass-9x",
    password_confirm: "Phone-Pass-9x",
  });
  assertEquals(res.status, 303);
  assertEquals(res.headers.get("location"), "/auth/phone/code");
  const page = await (await client.get("/auth/phone/code")).text();
  assertStringIncludes(page, 'autocomplete="one-time-code"');
  assertStringIncludes(page, displayPhone(phone));
  const code = await smsCode(phone);
  const done = await client.post("/auth/phone/code", { code: persian(code) });
  assertEquals(done.status, 303);
  assertEquals(done.headers.get("location"), "/wallet");
  const profile = await (await client.get("/profile")).text();
  assertStringIncludes(profile, 'id="verified-phone"');
  assertStringIncludes(profile, displayPhone(phone));
  // A phone-only account is named by its number in the header.
  assertStringIncludes(profile, `<span class="account-email" dir="ltr">${displayPhone(phone)}</span>`);
  assert(!profile.includes(`<span class="label">ایمیل</span>`), "no empty email row");
});

Deno.test("[phone pages] sign in by phone; the sixth wrong code within 15 minutes is refused without asking Auth", async () => {
  const phone = uniqueMobile();
  const made = await admin().createUser({ phone, phone_confirm: true, user_metadata: { full_name: "Kian" } });
  assertEquals(made.error, null);
  const client = new Client(stack.appUrl, { "accept-language": "en" });
  const sent = await client.post("/auth/phone", { phone: `+98 ${phone.slice(3, 6)} ${phone.slice(6)}` });
  assertEquals(sent.status, 303);
  const code = await smsCode(phone);
  const wrong = code === "000000" ? "111111" : "000000";
  for (let i = 1; i <= 5; i++) {
    const res = await client.post("/auth/phone/code", { code: wrong });
    assertEquals(res.status, 400, `wrong code ${i}`);
    assertStringIncludes(await res.text(), "The code is not right");
  }
  // The sixth attempt is the RIGHT code: were Auth asked, it would sign in. It is refused here instead.
  const sixth = await client.post("/auth/phone/code", { code });
  assertEquals(sixth.status, 429);
  assert(Number(sixth.headers.get("retry-after")) > 0);
  assertStringIncludes(await sixth.text(), "Too many wrong codes");
  // Auth never saw it: the code is still unused and valid there.
  const direct = await createClient(stack.gatewayUrl, stack.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  }).auth.verifyOtp({ phone, token: code, type: "sms" });
  assertEquals(direct.error, null);
  assertEquals(direct.data.user?.user_metadata.full_name, "Kian");
});

Deno.test("[phone pages] an unknown number gets the same answer and no SMS; a landline is a field error", async () => {
  const client = new Client(stack.appUrl, { "accept-language": "en" });
  const phone = uniqueMobile();
  const res = await client.post("/auth/phone", { phone: local(phone) });
  assertEquals(res.status, 303);
  assertEquals(await smsTo(phone), []);
  const landline = await client.post("/auth/phone", { phone: "021 1234 5678" });
  assertEquals(landline.status, 400);
  assertStringIncludes(await landline.text(), "This is a landline number");
  const fa = await new Client(stack.appUrl, { "accept-language": "fa" }).post("/auth/phone", {
    phone: "۰۹۱۲",
  });
  assertEquals(fa.status, 400);
  assertStringIncludes(await fa.text(), "این شمارهٔ موبایل نیست");
});

Deno.test("[phone pages] resend: too soon is refused with the wait; an email account adds a phone and keeps both", async () => {
  const account = await createAccount(stack, "adds-phone");
  const client = new Client(stack.appUrl, { "accept-language": "en" });
  await signIn(client, account);
  const phone = uniqueMobile();
  const started = await client.post("/profile/phone", { phone: local(phone) });
  assertEquals(started.status, 303);
  assertEquals(started.headers.get("location"), "/auth/phone/code");
  const first = await smsCode(phone);
  const resend = await client.post("/auth/phone/resend", {});
  assertEquals(resend.status, 303);
  assertStringIncludes(resend.headers.get("location")!, "problem=sms_limited");
  const shown = await (await client.get(resend.headers.get("location")!)).text();
  assertStringIncludes(shown, "You can ask again in");
  assertEquals((await smsTo(phone)).length, 1, "no second SMS");
  const done = await client.post("/auth/phone/code", { code: first });
  assertEquals(done.status, 303);
  assertEquals(done.headers.get("location"), "/profile?notice=phone_verified#phone");
  const profile = await (await client.get("/profile?notice=phone_verified")).text();
  assertStringIncludes(profile, "Your mobile number is verified.");
  assertStringIncludes(profile, displayPhone(phone));
  assertStringIncludes(profile, account.email, "email and phone on one account");
  // Both ways in work.
  const byPassword = new Client(stack.appUrl);
  await signIn(byPassword, account);
  const byPhone = new Client(stack.appUrl);
  const before = await lastSmsId(phone);
  assertEquals((await byPhone.post("/auth/phone", { phone })).status, 303);
  assertEquals((await byPhone.post("/auth/phone/code", { code: await smsCode(phone, before) })).status, 303);
});

Deno.test("[phone pages] money follows the verified number only: pending change refused, verified reaches the right wallet", async () => {
  const sender = await createAccount(stack, "payer");
  const owner = await createAccount(stack, "owner");
  await fund(sender.id, 1_000_000n);
  const payer = new Client(stack.appUrl, { "accept-language": "en" });
  await signIn(payer, sender);
  const ownerClient = new Client(stack.appUrl, { "accept-language": "en" });
  await signIn(ownerClient, owner);
  const phone = uniqueMobile();
  assertEquals((await ownerClient.post("/profile/phone", { phone })).status, 303);
  const code = await smsCode(phone);

  const pending = await payer.post("/wallet/transfer/confirm", {
    recipient: local(phone),
    tomans: "10",
    key: crypto.randomUUID(),
  });
  assertEquals(pending.status, 422, "a number awaiting its code routes no money");
  assertStringIncludes(await pending.text(), "verified");

  assertEquals((await ownerClient.post("/auth/phone/code", { code })).status, 303);
  const preview = await (await payer.post("/wallet/transfer", {
    recipient: persian(local(phone)),
    tomans: "10",
    key: crypto.randomUUID(),
  })).text();
  assertStringIncludes(preview, `${local(phone).slice(0, 4)}•••${phone.slice(-4)}`);
  assertStringIncludes(preview, "owner");
  const paid = await payer.post("/wallet/transfer/confirm", {
    recipient: local(phone),
    tomans: "10",
    key: crypto.randomUUID(),
  });
  assertEquals(paid.status, 303);
  assertEquals((await walletOf(owner.id)).balance, 100n);
  assertEquals((await walletOf(sender.id)).balance, 1_000_000n - 100n);
});
