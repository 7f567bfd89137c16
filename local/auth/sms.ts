/**
 * Phone one-time codes (phone.go sendPhoneConfirmation, verify.go smsVerify/phone_change) and the Send SMS
 * hook (hookshttp.go): codes are stored hashed (sha224(phone + otp)) on auth.users and in
 * auth.one_time_tokens, sent through the configured HTTP hook with a Standard Webhooks signature, and verified
 * with no attempt counter, exactly as GoTrue does (spec supabase-storage-and-phone.md §2.4–2.5).
 */
import { signWebhook } from "../../lib/auth/standard_webhooks.ts";
import type { Db, Emulator } from "./context.ts";
import { generateOtp, tokenHash } from "./encoding.ts";
import { AuthError, forbidden, internal, tooManyRequests, unprocessable } from "./errors.ts";
import { findIdentity, insertIdentity, updateIdentityData } from "./identities.ts";
import { storeOneTimeToken } from "./otp.ts";
import { insertUser, isBanned, updateProviders, updateUser, type UserRow } from "./users.ts";
import { loadUserJson } from "./user_json.ts";

export type PhoneOtpKind = "sms" | "phone_change";

/** The user whose `phone` (digits, no +) this is. */
export async function findUserByPhone(db: Db, phone: string, aud = "authenticated") {
  const [row] = await db<UserRow[]>`select * from auth.users where phone = ${phone} and aud = ${aud} limit 1`;
  return row;
}

export const isPhoneConfirmed = (user: UserRow) => user.phone_confirmed_at !== null;

/** 400 phone_provider_disabled unless `[auth.sms] enable_signup` is on (it gates every phone flow). */
export function requirePhoneProvider(emu: Emulator, message = "Unsupported phone provider"): void {
  if (!emu.config.sms.enabled) throw new AuthError(400, "phone_provider_disabled", message);
}

/** The hook's URI with the CLI's docker host pointed at this gateway (the functions are served there). */
function hookUrl(emu: Emulator, uri: string): string {
  const url = new URL(uri);
  if (url.hostname !== "host.docker.internal") return uri;
  return `${emu.gatewayUrl}${url.pathname}${url.search}`;
}

const HOOK_TIMEOUT_MS = 5000;

/** POSTs the signed payload and maps the reply as hookshttp.go does; throws on anything but success. */
export async function callSendSmsHook(
  emu: Emulator,
  hook: { uri: string; secrets: string[] },
  payload: Record<string, unknown>,
): Promise<void> {
  const body = JSON.stringify(payload);
  // Signed with the wall clock: the receiver checks the timestamp against its own (tests may move emu.now()).
  const headers = await signWebhook(hook.secrets, body);
  let res: Response;
  try {
    res = await fetch(hookUrl(emu, hook.uri), {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(HOOK_TIMEOUT_MS),
    });
  } catch (error) {
    if ((error as Error).name === "TimeoutError") {
      throw unprocessable("hook_timeout", "Failed to reach hook within maximum time of 5.000000 seconds");
    }
    throw unprocessable("hook_timeout_after_retry", "Failed to reach hook after maximum retries");
  }
  const text = await res.text();
  if (res.status === 204) return;
  if (res.status === 200 || res.status === 202) {
    if (text.length > 200 * 1024) throw unprocessable("hook_payload_over_size_limit", "Payload too large");
    if (!(res.headers.get("content-type") ?? "").startsWith("application/json")) {
      throw new AuthError(
        400,
        "hook_payload_invalid_content_type",
        "Invalid Content-Type: Missing Content-Type",
      );
    }
    let parsed: { error?: { http_code?: number; message?: string } };
    try {
      parsed = JSON.parse(text || "{}");
    } catch {
      throw internal("Error unmarshaling JSON output.");
    }
    if (parsed?.error) {
      const code = parsed.error.http_code || 500;
      throw new AuthError(
        code as 500,
        code === 500 ? "unexpected_failure" : "unknown",
        parsed.error.message ?? "",
      );
    }
    return;
  }
  if (res.status === 429 || res.status === 503) throw internal("Service currently unavailable due to hook");
  if (res.status === 400) throw internal("Invalid payload sent to hook");
  if (res.status === 401) throw internal("Hook requires authorization token");
  throw internal(`Unexpected status code returned from hook: ${res.status}`);
}

/** 429 over_sms_send_rate_limit before `sentAt + max_frequency` (test numbers included). */
function checkSmsFrequency(emu: Emulator, sentAt: Date | null): void {
  if (!sentAt) return;
  const until = sentAt.getTime() + emu.config.sms.maxFrequency * 1000;
  const left = until - emu.now().getTime();
  if (left > 0) {
    throw tooManyRequests(
      "over_sms_send_rate_limit",
      `For security purposes, you can only request this after ${Math.ceil(left / 1000)} seconds.`,
    );
  }
}

/**
 * Sends a code to `phone` (digits) for `kind` and stores its hash: `sms` on confirmation_token, a phone
 * change on phone_change_token (+ phone_change). Runs in the request's transaction: a failing hook rolls the
 * request back. Returns the message id ("test-otp" for test numbers, else none).
 */
export async function sendPhoneOtp(
  db: Db,
  emu: Emulator,
  user: UserRow,
  kind: PhoneOtpKind,
  phone: string,
  ip: string,
): Promise<{ user: UserRow; messageId?: string }> {
  const sms = emu.config.sms;
  checkSmsFrequency(emu, kind === "sms" ? user.confirmation_sent_at : user.phone_change_sent_at);
  const testOtp = sms.testOtp[phone];
  const otp = testOtp ?? generateOtp(sms.otpLength);
  if (!testOtp) {
    if (!sms.autoconfirm && !emu.limits.sms.allow()) {
      throw tooManyRequests("over_sms_send_rate_limit", "SMS rate limit exceeded");
    }
    if (!sms.hook) throw internal("Unable to get SMS provider");
    await callSendSmsHook(emu, sms.hook, {
      metadata: {
        uuid: crypto.randomUUID(),
        time: emu.now().toISOString(),
        name: "send-sms",
        ip_address: ip,
      },
      // On a phone change `phone` is still the old number and `new_phone` the one being texted (phone.go).
      user: {
        ...(await loadUserJson(db, user.id)),
        ...(kind === "phone_change" ? { new_phone: phone } : {}),
      },
      sms: { otp, phone },
    });
  }
  const hash = tokenHash(phone, otp);
  const now = emu.now();
  const updated = await updateUser(
    db,
    emu,
    user.id,
    kind === "sms"
      ? { confirmation_token: hash, confirmation_sent_at: now }
      : { phone_change: phone, phone_change_token: hash, phone_change_sent_at: now },
  );
  await storeOneTimeToken(
    db,
    user.id,
    kind === "sms" ? "confirmation_token" : "phone_change_token",
    hash,
    phone,
  );
  return { user: updated, messageId: testOtp ? "test-otp" : undefined };
}

const expired = (emu: Emulator, sentAt: Date | null) =>
  !sentAt || emu.now().getTime() > sentAt.getTime() + emu.config.sms.otpExpiry * 1000;

/**
 * A typed code → its user, or 403 otp_expired ("Token has expired or is invalid") for an unknown number, a
 * wrong code or an expired one. No attempt counter: a code stays valid until it expires or is replaced.
 */
export async function verifyPhoneOtp(
  db: Db,
  emu: Emulator,
  kind: PhoneOtpKind,
  phone: string,
  otp: string,
): Promise<UserRow> {
  const invalid = () => forbidden("otp_expired", "Token has expired or is invalid");
  const [user] = kind === "sms"
    ? await db<UserRow[]>`select * from auth.users where phone = ${phone} limit 1`
    : await db<UserRow[]>`select * from auth.users where phone_change = ${phone} limit 1`;
  if (!user) throw invalid();
  if (isBanned(user, emu.now())) throw forbidden("user_banned", "User is banned");
  const testOtp = emu.config.sms.testOtp[phone];
  const hash = tokenHash(phone, otp);
  const [stored, sentAt] = kind === "sms"
    ? [user.confirmation_token, user.confirmation_sent_at]
    : [user.phone_change_token, user.phone_change_sent_at];
  // A test number's fixed code is accepted without an expiry check, as GoTrue does.
  const ok = testOtp ? otp === testOtp : !!stored && stored === hash && !expired(emu, sentAt);
  if (!ok) throw invalid();
  return user;
}

/** After a verified code: the phone is confirmed (or the pending number becomes the phone), tokens cleared. */
export async function applyPhoneVerification(
  db: Db,
  emu: Emulator,
  user: UserRow,
  kind: PhoneOtpKind,
): Promise<UserRow> {
  await db`delete from auth.one_time_tokens where user_id = ${user.id}`;
  const phone = kind === "sms" ? user.phone! : user.phone_change!;
  let updated = await updateUser(db, emu, user.id, {
    ...(kind === "sms"
      ? { confirmation_token: "" }
      : { phone, phone_change: "", phone_change_token: "", phone_change_sent_at: null }),
    phone_confirmed_at: emu.now(),
    is_anonymous: false,
  });
  const identity = await findIdentity(db, user.id, "phone");
  if (identity) await updateIdentityData(db, emu, identity, { phone, phone_verified: true });
  else {
    await insertIdentity(db, emu, user.id, "phone", {
      sub: user.id,
      phone,
      email_verified: false,
      phone_verified: true,
    });
    updated = await updateProviders(db, emu, updated);
  }
  return updated;
}

export interface PhoneSignup {
  phone: string;
  password: string;
  data: Record<string, unknown>;
}

export type PhoneSignupResult = { exists: UserRow } | { user: UserRow };

/**
 * The phone half of signup.go (also /otp for unknown or unconfirmed numbers): a new user with a phone
 * identity, or the existing unconfirmed one, then a code by SMS (or confirmed at once with autoconfirm).
 */
export async function signUpWithPhone(
  db: Db,
  emu: Emulator,
  params: PhoneSignup,
  ip: string,
): Promise<PhoneSignupResult> {
  let user = await findUserByPhone(db, params.phone);
  if (user && isPhoneConfirmed(user)) return { exists: user };
  if (!user) {
    user = await insertUser(db, emu, {
      phone: params.phone,
      password: params.password,
      userMetadata: params.data,
      appMetadata: { provider: "phone", providers: ["phone"] },
    });
    await insertIdentity(db, emu, user.id, "phone", {
      ...params.data,
      sub: user.id,
      phone: params.phone,
      email_verified: false,
      phone_verified: false,
    });
  }
  if (emu.config.sms.autoconfirm) {
    return { user: await updateUser(db, emu, user.id, { phone_confirmed_at: emu.now() }) };
  }
  return { user: (await sendPhoneOtp(db, emu, user, "sms", params.phone, ip)).user };
}
