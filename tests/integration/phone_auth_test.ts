/**
 * Phone sign-in through supabase-js against the local stack (Auth stand-in → signed Send SMS hook →
 * functions/auth-send-sms → outbox): sign-up, OTP sign-in and phone change each queue an SMS whose code
 * yields a session with `phone` in its JWT; expired and wrong codes are refused; forged hook calls too.
 */
import { createClient } from "@supabase/supabase-js";
import { decodeJwt } from "jose";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { sql } from "kysely";
import { startAuthStack } from "./auth_http_client.ts";
import { db } from "../_support/db.ts";
import { lastSmsId, smsCode, smsTo, uniqueMobile } from "../_support/sms.ts";
import { signWebhook } from "../../lib/auth/standard_webhooks.ts";
import { LOCAL_SEND_SMS_HOOK_SECRET } from "../../lib/config.ts";

const stack = await startAuthStack();
addEventListener("unload", () => void stack.stop());

let ip = 0;
function client() {
  return createClient(stack.gatewayUrl, stack.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { "x-forwarded-for": `10.9.0.${++ip}` } },
  });
}
const digits = (e164: string) => e164.slice(1);

Deno.test("[phone auth] signUp({phone, password}) queues an SMS code; verifyOtp(sms) gives a session whose JWT carries phone", async () => {
  const phone = uniqueMobile();
  const sb = client();
  const { data, error } = await sb.auth.signUp({ phone, password: "Phone-Pass-9x" });
  assertEquals(error, null);
  assertEquals(data.session, null);
  assertEquals(data.user?.phone, digits(phone));
  assertEquals(data.user?.phone_confirmed_at, undefined);
  const [sms] = await smsTo(phone);
  assertMatch(sms.code, /^\d{6}$/);
  assert(sms.body.includes("پیشخان"), "an Iranian number gets the Persian text");
  assert(sms.critical, "a sign-in code is a critical SMS");

  const verified = await sb.auth.verifyOtp({ phone, token: sms.code, type: "sms" });
  assertEquals(verified.error, null);
  const claims = decodeJwt(verified.data.session!.access_token);
  assertEquals(claims.phone, digits(phone));
  assert(verified.data.user?.phone_confirmed_at);
  // Single use.
  const again = await client().auth.verifyOtp({ phone, token: sms.code, type: "sms" });
  assertEquals(again.error?.code, "otp_expired");
  // And the password works once the phone is confirmed.
  const password = await client().auth.signInWithPassword({ phone, password: "Phone-Pass-9x" });
  assertEquals(password.error, null);
});

Deno.test("[phone auth] signInWithOtp({phone}) creates the user and texts a code; a wrong or expired code is refused", async () => {
  const phone = uniqueMobile();
  const sb = client();
  const sent = await sb.auth.signInWithOtp({ phone });
  assertEquals(sent.error, null);
  const code = await smsCode(phone);
  const wrong = await sb.auth.verifyOtp({
    phone,
    token: code === "000000" ? "111111" : "000000",
    type: "sms",
  });
  assertEquals(wrong.error?.code, "otp_expired");
  assertEquals(wrong.error?.status, 403);
  const ok = await sb.auth.verifyOtp({ phone, token: code, type: "sms" });
  assertEquals(ok.error, null);
  assertEquals(decodeJwt(ok.data.session!.access_token).phone, digits(phone));

  // A confirmed number signs in with a new code; max_frequency spaces two sends to one number.
  await sql`update auth.users set confirmation_sent_at = now() - interval '61 seconds' where phone = ${
    digits(phone)
  }`.execute(db());
  const before = await lastSmsId(phone);
  assertEquals(
    (await client().auth.signInWithOtp({ phone, options: { shouldCreateUser: false } })).error,
    null,
  );
  const tooSoon = await client().auth.signInWithOtp({ phone });
  assertEquals(tooSoon.error?.code, "over_sms_send_rate_limit");
  assertEquals(tooSoon.error?.status, 429);
  const second = await smsCode(phone, before);
  // Expired: otp_exp (300 s in config.toml) after it was sent.
  await sql`update auth.users set confirmation_sent_at = now() - interval '301 seconds' where phone = ${
    digits(phone)
  }`.execute(db());
  const late = await client().auth.verifyOtp({ phone, token: second, type: "sms" });
  assertEquals(late.error?.code, "otp_expired");
});

Deno.test("[phone auth] updateUser({phone}) texts the NEW number; verifyOtp(phone_change) moves it and the JWT follows", async () => {
  const sb = client();
  const email = `phone-change-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const admin = createClient(stack.gatewayUrl, stack.keys.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const user = await admin.auth.admin.createUser({ email, password: "Phone-Pass-9x", email_confirm: true });
  assertEquals(user.error, null);
  const signedIn = await sb.auth.signInWithPassword({ email, password: "Phone-Pass-9x" });
  assertEquals(signedIn.error, null);
  assertEquals(decodeJwt(signedIn.data.session!.access_token).phone, "");

  const phone = uniqueMobile();
  const updated = await sb.auth.updateUser({ phone });
  assertEquals(updated.error, null);
  assertEquals(updated.data.user?.new_phone, digits(phone));
  assertEquals(updated.data.user?.phone, "");
  const code = await smsCode(phone);
  const verified = await sb.auth.verifyOtp({ phone, token: code, type: "phone_change" });
  assertEquals(verified.error, null);
  const claims = decodeJwt(verified.data.session!.access_token);
  assertEquals(claims.phone, digits(phone));
  assertEquals(claims.email, email);
  const [row] = (await sql<{ phone: string; confirmed: boolean }>`
    select phone, phone_confirmed_at is not null as confirmed from auth.users where id = ${
    user.data.user!.id
  }`
    .execute(db())).rows;
  assertEquals(row, { phone: digits(phone), confirmed: true });

  // Another account cannot take a number that is registered.
  const other = client();
  await other.auth.signUp({ email: `o-${email}`, password: "Phone-Pass-9x" });
  const otherUser = await admin.auth.admin.createUser({
    email: `p-${email}`,
    password: "Phone-Pass-9x",
    email_confirm: true,
  });
  assertEquals(otherUser.error, null);
  await other.auth.signInWithPassword({ email: `p-${email}`, password: "Phone-Pass-9x" });
  const taken = await other.auth.updateUser({ phone });
  assertEquals(taken.error?.code, "phone_exists");
});

Deno.test("[phone auth] admin createUser({phone, phone_confirm}) makes a verified phone; resend answers {} for it", async () => {
  const admin = createClient(stack.gatewayUrl, stack.keys.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const phone = uniqueMobile();
  const { data, error } = await admin.auth.admin.createUser({ phone, phone_confirm: true });
  assertEquals(error, null);
  assert(data.user?.phone_confirmed_at);
  assertEquals(data.user?.identities?.[0].provider, "phone");
  const resend = await client().auth.resend({ phone, type: "sms" });
  assertEquals(resend.error, null);
  assertEquals(await smsTo(phone), [], "a confirmed number gets no sign-up code from resend");
  const dup = await admin.auth.admin.createUser({ phone });
  assertEquals(dup.error?.code, "phone_exists");
});

Deno.test("[phone auth] resend({phone, type: sms}) texts an unconfirmed number a new code after max_frequency", async () => {
  const phone = uniqueMobile();
  await client().auth.signUp({ phone, password: "Phone-Pass-9x" });
  const first = await smsCode(phone);
  const soon = await client().auth.resend({ phone, type: "sms" });
  assertEquals(soon.error?.code, "over_sms_send_rate_limit");
  await sql`update auth.users set confirmation_sent_at = now() - interval '61 seconds' where phone = ${
    digits(phone)
  }`.execute(db());
  const before = await lastSmsId(phone);
  assertEquals((await client().auth.resend({ phone, type: "sms" })).error, null);
  const second = await smsCode(phone, before);
  // The old code is replaced.
  if (second !== first) {
    const old = await client().auth.verifyOtp({ phone, token: first, type: "sms" });
    assertEquals(old.error?.code, "otp_expired");
  }
  assertEquals((await client().auth.verifyOtp({ phone, token: second, type: "sms" })).error, null);
});

Deno.test("[phone auth] a forged Send SMS hook call is refused with 401 and queues nothing", async () => {
  const phone = uniqueMobile();
  const body = JSON.stringify({
    user: { id: crypto.randomUUID(), phone: digits(phone) },
    sms: { otp: "123456", phone: digits(phone) },
  });
  const url = `${stack.gatewayUrl}/functions/v1/auth-send-sms`;
  const forged = await signWebhook(["v1,whsec_" + btoa("an attacker's own secret, not ours!")], body);
  const unsigned = {};
  const stale = await signWebhook(
    [LOCAL_SEND_SMS_HOOK_SECRET],
    body,
    crypto.randomUUID(),
    new Date(Date.now() - 3600_000),
  );
  for (const headers of [forged, unsigned, stale]) {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    assertEquals(res.status, 401);
    await res.body?.cancel();
  }
  // The same body with a tampered signature of the right secret: still refused.
  const genuine = await signWebhook([LOCAL_SEND_SMS_HOOK_SECRET], body);
  const tampered = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...genuine },
    body: body.replace("123456", "654321"),
  });
  assertEquals(tampered.status, 401);
  await tampered.body?.cancel();
  assertEquals(await smsTo(phone), []);
  // The genuine call is accepted and queues one SMS.
  const ok = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...genuine },
    body,
  });
  assertEquals(ok.status, 200);
  await ok.body?.cancel();
  // Auth retrying the same send (same number and code, a new webhook id) queues no second SMS.
  const retry = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...await signWebhook([LOCAL_SEND_SMS_HOOK_SECRET], body) },
    body,
  });
  assertEquals(retry.status, 200);
  await retry.body?.cancel();
  assertEquals((await smsTo(phone)).map((m) => m.code), ["123456"]);
});
