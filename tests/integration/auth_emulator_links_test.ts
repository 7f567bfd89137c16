/** The Auth emulator through supabase-js: magic links, recovery, PKCE code exchange, resend, email change. */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { serveAuthEmulator } from "../../local/auth/testing.ts";

const PASSWORD = "Correct-Horse-9";
const CALLBACK = "http://127.0.0.1:8000/auth/callback";
const emu = await serveAuthEmulator();
addEventListener("unload", () => void emu.stop());

let ipCounter = 0;
function client(flowType: "implicit" | "pkce" = "implicit") {
  return createClient(emu.url, emu.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType },
    global: { headers: { "x-forwarded-for": `10.3.0.${++ipCounter}` } },
  });
}

async function confirmedUser(name: string): Promise<string> {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const admin = createClient(emu.url, emu.keys.secretKey, { auth: { persistSession: false } });
  const { error } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  assertEquals(error, null);
  return email;
}

async function lastMail(email: string) {
  const [mail] = await emu.mails(email);
  assert(mail, `a mail to ${email}`);
  return { ...mail, link: String(mail.metadata.action_link), otp: String(mail.metadata.email_otp) };
}

/** Follows an email link like a browser would, returning where GoTrue sent it. */
async function follow(link: string): Promise<URL> {
  const res = await fetch(link, { redirect: "manual" });
  assertEquals(res.status, 303);
  return new URL(res.headers.get("location")!);
}

Deno.test("[auth emulator] magic link — signInWithOtp mails a link that signs the user in", async () => {
  const email = await confirmedUser("magic");
  const sb = client();
  assertEquals((await sb.auth.signInWithOtp({ email, options: { emailRedirectTo: CALLBACK } })).error, null);
  const mail = await lastMail(email);
  assertEquals(mail.subject, "پیوند ورود شما"); // no locale in the metadata: Persian
  assertMatch(mail.link, /type=magiclink/);
  const fragment = new URLSearchParams((await follow(mail.link)).hash.slice(1));
  assertEquals(fragment.get("type"), "magiclink");
  const { data } = await sb.auth.setSession({
    access_token: fragment.get("access_token")!,
    refresh_token: fragment.get("refresh_token")!,
  });
  assertEquals(data.user?.email, email);

  const refused = await client().auth.signInWithOtp({
    email: `nobody-${crypto.randomUUID()}@test.pishkhan.local`,
    options: { shouldCreateUser: false },
  });
  assertEquals(refused.error?.code, "otp_disabled");
});

Deno.test("[auth emulator] magic link — an unknown address is signed up by the code it receives", async () => {
  const email = `newcomer-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const sb = client();
  assertEquals(
    (await sb.auth.signInWithOtp({ email, options: { data: { full_name: "Nima" } } })).error,
    null,
  );
  const mail = await lastMail(email);
  assertEquals(mail.subject, "تأیید نشانی ایمیل در پیشخوان");
  const { data, error } = await sb.auth.verifyOtp({ email, token: mail.otp, type: "email" });
  assertEquals(error, null);
  assertEquals(data.user?.user_metadata.full_name, "Nima");
  assert(data.user?.email_confirmed_at);
});

Deno.test("[auth emulator] recovery — the reset link signs in and updateUser sets the new password", async () => {
  const email = await confirmedUser("recover");
  const sb = client();
  assertEquals((await sb.auth.resetPasswordForEmail(email, { redirectTo: CALLBACK })).error, null);
  assertEquals(
    (await client().auth.resetPasswordForEmail(`ghost-${crypto.randomUUID()}@x.local`)).error,
    null,
  );
  const mail = await lastMail(email);
  assertEquals(mail.subject, "بازنشانی رمز عبور");
  const verified = await sb.auth.verifyOtp({
    token_hash: String(mail.metadata.hashed_token),
    type: "recovery",
  });
  assertEquals(verified.error, null);
  assertEquals((await sb.auth.updateUser({ password: "Brand-New-Pass-1" })).error, null);
  const signIn = await client().auth.signInWithPassword({ email, password: "Brand-New-Pass-1" });
  assertEquals(signIn.error, null);
  const reused = await client().auth.verifyOtp({
    token_hash: String(mail.metadata.hashed_token),
    type: "recovery",
  });
  assertEquals(reused.error?.code, "otp_expired");
});

Deno.test("[auth emulator] PKCE — the email link redirects with ?code= and exchangeCodeForSession signs in", async () => {
  const email = `pkce-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const sb = client("pkce");
  const signUp = await sb.auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: CALLBACK } });
  assertEquals(signUp.error, null);
  const mail = await lastMail(email);
  assertMatch(mail.link, /token=pkce_[0-9a-f]{56}&type=signup/);
  const location = await follow(mail.link);
  assertEquals(location.origin + location.pathname, CALLBACK);
  const code = location.searchParams.get("code")!;
  assertMatch(code, /^[0-9a-f-]{36}$/);

  const wrong = await client("pkce").auth.exchangeCodeForSession(code);
  assert(wrong.error, "another client has no (or the wrong) code verifier");
  const { data, error } = await sb.auth.exchangeCodeForSession(code);
  assertEquals(error, null);
  assertEquals(data.session?.user.email, email);
  assert(data.user?.email_confirmed_at);
  const again = await fetch(`${emu.authUrl}/token?grant_type=pkce`, {
    method: "POST",
    headers: { apikey: emu.keys.publishableKey, "content-type": "application/json" },
    body: JSON.stringify({ auth_code: code, code_verifier: "v".repeat(43) }),
  });
  assertEquals(
    [again.status, (await again.json()).error_code],
    [404, "flow_state_not_found"],
    "a code is used once",
  );
});

Deno.test("[auth emulator] PKCE — wrong verifier, unknown and expired codes", async () => {
  const post = (body: unknown) =>
    fetch(`${emu.authUrl}/token?grant_type=pkce`, {
      method: "POST",
      headers: {
        apikey: emu.keys.publishableKey,
        "content-type": "application/json",
        "x-forwarded-for": "10.3.9.9",
      },
      body: JSON.stringify(body),
    }).then(async (r) => [r.status, (await r.json()).error_code]);
  const email = await confirmedUser("pkce-errors");
  const sb = client("pkce");
  await sb.auth.signInWithOtp({ email, options: { emailRedirectTo: CALLBACK } });
  const code = (await follow((await lastMail(email)).link)).searchParams.get("code")!;
  assertEquals(await post({ auth_code: code, code_verifier: "x".repeat(43) }), [400, "bad_code_verifier"]);
  assertEquals(await post({ auth_code: crypto.randomUUID(), code_verifier: "x".repeat(43) }), [
    404,
    "flow_state_not_found",
  ]);
  emu.advance(301);
  try {
    const expired = await sb.auth.exchangeCodeForSession(code);
    assertEquals(expired.error?.code, "flow_state_expired");
  } finally {
    emu.advance(-301);
  }
});

Deno.test("[auth emulator] resend — a new confirmation mail replaces the old code", async () => {
  const email = `resend-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const sb = client();
  await sb.auth.signUp({ email, password: PASSWORD });
  const first = await lastMail(email);
  emu.advance(2);
  try {
    assertEquals((await sb.auth.resend({ type: "signup", email })).error, null);
  } finally {
    emu.advance(-2);
  }
  const second = await lastMail(email);
  assert(second.id !== first.id);
  const stale = await sb.auth.verifyOtp({ email, token: first.otp, type: "signup" });
  assertEquals(stale.error?.code, "otp_expired");
  assertEquals((await sb.auth.verifyOtp({ email, token: second.otp, type: "signup" })).error, null);
});

Deno.test("[auth emulator] email change — both addresses confirm before the email changes", async () => {
  const email = await confirmedUser("change");
  const newEmail = `changed-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
  const sb: SupabaseClient = client();
  await sb.auth.signInWithPassword({ email, password: PASSWORD });
  const updated = await sb.auth.updateUser({ email: newEmail }, { emailRedirectTo: CALLBACK });
  assertEquals(updated.error, null);
  assertEquals(updated.data.user?.email, email);
  assertEquals(updated.data.user?.new_email, newEmail);

  const toCurrent = await lastMail(email);
  const toNew = await lastMail(newEmail);
  assertEquals(toNew.subject, "تأیید نشانی ایمیل تازه");
  const first = await follow(toCurrent.link);
  assertEquals(
    new URLSearchParams(first.hash.slice(1)).get("message")?.startsWith("Confirmation link accepted"),
    true,
  );
  const second = new URLSearchParams((await follow(toNew.link)).hash.slice(1));
  assertEquals(second.get("type"), "email_change");
  const user = await client().auth.getUser(second.get("access_token")!);
  assertEquals(user.data.user?.email, newEmail);
  assertEquals(user.data.user?.identities?.[0].identity_data?.email, newEmail);
});
