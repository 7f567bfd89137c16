/** The Auth emulator's rate limits: per-IP request buckets, the hourly email budget, and per-user mail spacing. */
import { createClient } from "@supabase/supabase-js";
import { assertEquals, assertMatch } from "@std/assert";
import { serveAuthEmulator } from "../../local/auth/testing.ts";

const client = (url: string, key: string, ip: string) =>
  createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { "x-forwarded-for": ip } },
  });
const newEmail = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;

Deno.test("[auth emulator] rate limit — the 31st OTP request from one IP in a burst is 429 over_request_rate_limit", async () => {
  const emu = await serveAuthEmulator();
  try {
    const sb = client(emu.url, emu.keys.publishableKey, "10.6.0.1");
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < 31; i++) {
      const { error } = await sb.auth.signInWithOtp({
        email: newEmail("burst"),
        options: { shouldCreateUser: false },
      });
      statuses.push(error?.status);
    }
    assertEquals(
      statuses.slice(0, 30).every((s) => s === 422),
      true,
      "30 requests pass the limiter (and fail as otp_disabled)",
    );
    const { error } = await sb.auth.signInWithOtp({
      email: newEmail("burst"),
      options: { shouldCreateUser: false },
    });
    assertEquals([error?.status, error?.code], [429, "over_request_rate_limit"]);
    assertEquals(error?.message, "Request rate limit reached");

    const other = client(emu.url, emu.keys.publishableKey, "10.6.0.2");
    const fine = await other.auth.signInWithOtp({
      email: newEmail("other"),
      options: { shouldCreateUser: false },
    });
    assertEquals(fine.error?.code, "otp_disabled", "another IP has its own bucket");

    emu.advance(30); // sign_in_sign_ups = 30 per 5 minutes refills one request every 10 s
    const later = await sb.auth.signInWithOtp({
      email: newEmail("later"),
      options: { shouldCreateUser: false },
    });
    assertEquals(later.error?.code, "otp_disabled");
  } finally {
    await emu.stop();
  }
});

Deno.test("[auth emulator] rate limit — emails over the hourly budget are 429 over_email_send_rate_limit", async () => {
  const emu = await serveAuthEmulator({
    rateLimit: { emailSent: 2, smsSent: 30, signInSignUps: 30, tokenVerifications: 30, tokenRefresh: 150 },
  });
  try {
    const sb = client(emu.url, emu.keys.publishableKey, "10.6.1.1");
    for (let i = 0; i < 2; i++) {
      assertEquals(
        (await sb.auth.signUp({ email: newEmail("budget"), password: "Correct-Horse-9" })).error,
        null,
      );
    }
    const address = newEmail("budget");
    const { error } = await sb.auth.signUp({ email: address, password: "Correct-Horse-9" });
    assertEquals([error?.status, error?.code], [429, "over_email_send_rate_limit"]);
    const [row] = await emu.sql`select count(*)::int as n from auth.users where email = ${address}`;
    assertEquals(row.n, 0, "the refused signup left nothing behind");
  } finally {
    await emu.stop();
  }
});

Deno.test("[auth emulator] rate limit — a second recovery mail within max_frequency is refused", async () => {
  const emu = await serveAuthEmulator({ maxFrequency: 60 });
  try {
    const email = newEmail("spaced");
    const admin = createClient(emu.url, emu.keys.secretKey, { auth: { persistSession: false } });
    await admin.auth.admin.createUser({ email, password: "Correct-Horse-9", email_confirm: true });
    const sb = client(emu.url, emu.keys.publishableKey, "10.6.2.1");
    assertEquals((await sb.auth.resetPasswordForEmail(email)).error, null);
    const { error } = await sb.auth.resetPasswordForEmail(email);
    assertEquals([error?.status, error?.code], [429, "over_email_send_rate_limit"]);
    assertMatch(error!.message, /^For security purposes, you can only request this after \d+ seconds\.$/);
    emu.advance(61);
    assertEquals((await sb.auth.resetPasswordForEmail(email)).error, null);
  } finally {
    await emu.stop();
  }
});
