/** The Auth emulator through supabase-js: signup, confirmation mail and link, password sign-in, error shapes. */
import { AuthWeakPasswordError, createClient } from "@supabase/supabase-js";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { serveAuthEmulator, type ServedAuthEmulator } from "../../local/auth/testing.ts";

const PASSWORD = "Correct-Horse-9";
const emu = await serveAuthEmulator();
addEventListener("unload", () => void emu.stop());

let ipCounter = 0;
/** A client with its own X-Forwarded-For, so per-IP rate limits never couple tests. */
function client(target: ServedAuthEmulator = emu) {
  return createClient(target.url, target.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { "x-forwarded-for": `10.1.0.${++ipCounter}` } },
  });
}
const email = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
const actionLink = (mail: { metadata: Record<string, unknown> }) => String(mail.metadata.action_link);

Deno.test("[auth emulator] signup — returns an unconfirmed user and mails a link that confirms and signs in", async () => {
  const address = email("signup");
  const sb = client();
  const { data, error } = await sb.auth.signUp({
    email: address,
    password: PASSWORD,
    options: { data: { full_name: "Sara" }, emailRedirectTo: "http://127.0.0.1:8000/auth/callback" },
  });
  assertEquals(error, null);
  assertEquals(data.session, null);
  assertEquals(data.user?.email, address);
  assert(data.user?.confirmation_sent_at, "confirmation_sent_at is set");
  assertEquals(data.user?.email_confirmed_at, undefined);
  assertEquals(data.user?.user_metadata.full_name, "Sara");
  assertEquals(data.user?.identities?.[0].provider, "email");

  const [mail] = await emu.mails(address);
  // No locale in the metadata: Persian first, as for most customers.
  assertEquals(mail.subject, "تأیید نشانی ایمیل در پیشخوان");
  assertEquals(mail.sender, "Pishkhan <noreply@pishkhan.local>");
  const link = actionLink(mail);
  assertMatch(
    link,
    /^http:\/\/127\.0\.0\.1:\d+\/auth\/v1\/verify\?token=[0-9a-f]{56}&type=signup&redirect_to=/,
  );
  assertStringIncludes(mail.body_html!, link.replaceAll("&", "&amp;"));
  assertStringIncludes(mail.body_text!, String(mail.metadata.email_otp));
  assertMatch(String(mail.metadata.email_otp), /^\d{6}$/);
  assertStringIncludes(mail.body_html!, 'dir="rtl"');

  const res = await fetch(link, { redirect: "manual" });
  assertEquals(res.status, 303);
  const location = new URL(res.headers.get("location")!);
  assertEquals(location.origin + location.pathname, "http://127.0.0.1:8000/auth/callback");
  const fragment = new URLSearchParams(location.hash.slice(1));
  assertEquals(fragment.get("type"), "signup");
  assertEquals(fragment.get("token_type"), "bearer");
  assertEquals(fragment.get("sb"), "");
  assertMatch(fragment.get("refresh_token")!, /^[a-z0-9]{12}$/);
  const set = await sb.auth.setSession({
    access_token: fragment.get("access_token")!,
    refresh_token: fragment.get("refresh_token")!,
  });
  assertEquals(set.error, null);
  assert(set.data.user?.email_confirmed_at, "the link confirmed the email");
  assertEquals(set.data.user?.user_metadata.email_verified, true);

  const again = await fetch(link, { redirect: "manual" });
  const failed = new URLSearchParams(new URL(again.headers.get("location")!).hash.slice(1));
  assertEquals(failed.get("error"), "access_denied");
  assertEquals(failed.get("error_code"), "otp_expired");
});

Deno.test("[auth emulator] password sign-in — works once confirmed; unconfirmed and wrong passwords are refused", async () => {
  const address = email("signin");
  const sb = client();
  await sb.auth.signUp({ email: address, password: PASSWORD });
  const unconfirmed = await sb.auth.signInWithPassword({ email: address, password: PASSWORD });
  assertEquals(unconfirmed.error?.code, "email_not_confirmed");
  assertEquals(unconfirmed.error?.status, 400);

  const [mail] = await emu.mails(address);
  const verified = await sb.auth.verifyOtp({
    email: address,
    token: String(mail.metadata.email_otp),
    type: "email",
  });
  assertEquals(verified.error, null);
  assertEquals(verified.data.session?.user.email, address);

  const wrong = await sb.auth.signInWithPassword({ email: address, password: "Wrong-Horse-9" });
  assertEquals(wrong.error?.code, "invalid_credentials");
  assertEquals(wrong.error?.message, "Invalid login credentials");
  const unknown = await sb.auth.signInWithPassword({ email: email("nobody"), password: PASSWORD });
  assertEquals(unknown.error?.code, "invalid_credentials");

  const ok = await sb.auth.signInWithPassword({ email: address, password: PASSWORD });
  assertEquals(ok.error, null);
  assertEquals(ok.data.session?.token_type, "bearer");
  assertEquals(ok.data.session?.expires_in, 3600);
  assert(ok.data.user?.last_sign_in_at);
});

Deno.test("[auth emulator] signup — an address that is already confirmed gets an obfuscated user and no mail", async () => {
  const address = email("dup");
  const sb = client();
  await sb.auth.signUp({ email: address, password: PASSWORD });
  const [mail] = await emu.mails(address);
  await fetch(actionLink(mail), { redirect: "manual" });
  const { data: { user: real } } = await client().auth.signInWithPassword({
    email: address,
    password: PASSWORD,
  });

  const again = await client().auth.signUp({ email: address, password: "Other-Pass-123" });
  assertEquals(again.error, null);
  assertEquals(again.data.user?.identities, []);
  assert(again.data.user?.id && again.data.user.id !== real?.id, "a random id, not the real one");
  assertEquals((await emu.mails(address)).length, 1);
});

Deno.test("[auth emulator] signup — weak passwords fail with AuthWeakPasswordError and its reasons", async () => {
  const sb = client();
  const short = await sb.auth.signUp({ email: email("weak"), password: "abc" });
  assert(short.error instanceof AuthWeakPasswordError);
  assertEquals(short.error.status, 422);
  assertEquals(short.error.code, "weak_password");
  assertEquals(short.error.reasons, ["length", "characters"]);

  const lower = await sb.auth.signUp({ email: email("weak"), password: "only-lowercase-1" });
  assert(lower.error instanceof AuthWeakPasswordError);
  assertEquals(lower.error.reasons, ["characters"]);
  assertStringIncludes(
    lower.error.message,
    "abcdefghijklmnopqrstuvwxyz, ABCDEFGHIJKLMNOPQRSTUVWXYZ, 0123456789",
  );
});

Deno.test("[auth emulator] errors — 2024-01-01 API gets {code,message}; legacy callers get {code,error_code,msg}", async () => {
  const body = JSON.stringify({ email: email("shape"), password: "x" });
  const headers = {
    apikey: emu.keys.publishableKey,
    "content-type": "application/json",
    "x-forwarded-for": "10.9.9.1",
  };
  const modern = await fetch(`${emu.authUrl}/signup`, {
    method: "POST",
    body,
    headers: { ...headers, "X-Supabase-Api-Version": "2024-01-01" },
  });
  assertEquals(modern.status, 422);
  assertEquals(modern.headers.get("x-supabase-api-version"), "2024-01-01");
  assertEquals(modern.headers.get("x-sb-error-code"), "weak_password");
  const modernBody = await modern.json();
  assertEquals(modernBody.code, "weak_password");
  assertEquals(modernBody.weak_password.reasons, ["length", "characters"]);

  const legacy = await fetch(`${emu.authUrl}/signup`, { method: "POST", body, headers });
  assertEquals(legacy.headers.get("x-supabase-api-version"), null);
  const legacyBody = await legacy.json();
  assertEquals([legacyBody.code, legacyBody.error_code], [422, "weak_password"]);
  assertEquals(typeof legacyBody.msg, "string");

  const badJson = await fetch(`${emu.authUrl}/signup`, { method: "POST", body: "{", headers });
  assertEquals([badJson.status, (await badJson.json()).error_code], [400, "bad_json"]);
});

Deno.test("[auth emulator] verify — an expired link redirects with otp_expired; redirect_to must be allowed", async () => {
  const address = email("expired");
  const sb = client();
  await sb.auth.signUp({
    email: address,
    password: PASSWORD,
    options: { emailRedirectTo: "https://evil.example/x" },
  });
  const [mail] = await emu.mails(address);
  assertEquals(
    mail.metadata.redirect_to,
    "http://127.0.0.1:8000",
    "a foreign redirect falls back to site_url",
  );
  const hash = String(mail.metadata.hashed_token);
  const loopback = `${emu.authUrl}/verify?token=${hash}&type=signup&redirect_to=http://127.0.0.1:4321/done`;
  emu.advance(3601);
  try {
    const res = await fetch(loopback, { redirect: "manual" });
    assertEquals(res.status, 303);
    const location = new URL(res.headers.get("location")!);
    assertEquals(location.origin, "http://127.0.0.1:4321", "loopback addresses are allowed on any port");
    const fragment = new URLSearchParams(location.hash.slice(1));
    assertEquals(fragment.get("error"), "access_denied");
    assertEquals(fragment.get("error_code"), "otp_expired");
    assertEquals(fragment.get("error_description"), "Email link is invalid or has expired");
  } finally {
    emu.advance(-3601);
  }
});

Deno.test("[auth emulator] settings — reflect supabase/config.toml; CORS preflight is answered", async () => {
  const res = await fetch(`${emu.authUrl}/settings`, { headers: { apikey: emu.keys.publishableKey } });
  const settings = await res.json();
  assertEquals(settings.mailer_autoconfirm, false);
  assertEquals(settings.disable_signup, false);
  assertEquals([settings.external.email, settings.external.github, settings.external.google], [
    true,
    true,
    true,
  ]);
  assertEquals(settings.external.phone, true, "[auth.sms] enable_signup = true");
  assertEquals(settings.phone_autoconfirm, false, "[auth.sms] enable_confirmations = true");

  const preflight = await fetch(`${emu.authUrl}/token?grant_type=password`, {
    method: "OPTIONS",
    headers: {
      origin: "http://127.0.0.1:8000",
      "access-control-request-method": "POST",
      "access-control-request-headers":
        "apikey, authorization, x-client-info, x-supabase-api-version, content-type",
    },
  });
  assertEquals(preflight.status, 204);
  assertEquals(preflight.headers.get("access-control-allow-origin"), "*");
  assertStringIncludes(preflight.headers.get("access-control-allow-headers")!, "x-supabase-api-version");
  await preflight.body?.cancel();
});
