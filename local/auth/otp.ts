/**
 * Email one-time tokens: the hashed token on auth.users plus an auth.one_time_tokens row (mail.go send*,
 * models/one_time_token.go), and their verification (verify.go verifyTokenHash / verifyUserAndToken).
 */
import type { Db, Emulator } from "./context.ts";
import { generateOtp, tokenHash } from "./encoding.ts";
import { forbidden, tooManyRequests, validationFailed } from "./errors.ts";
import { PKCE_PREFIX } from "./pkce.ts";
import { findUserByEmail, findUserById, isBanned, updateUser, type UserRow } from "./users.ts";

export type OttType =
  | "confirmation_token"
  | "recovery_token"
  | "email_change_token_new"
  | "email_change_token_current"
  | "reauthentication_token"
  | "phone_change_token";

/** Replaces the user's one-time token of a type (CreateOneTimeToken). */
export async function storeOneTimeToken(
  db: Db,
  userId: string,
  type: OttType,
  hash: string,
  relatesTo: string,
) {
  await db`delete from auth.one_time_tokens where user_id = ${userId} and token_type = ${type}`;
  await db`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
    values (${crypto.randomUUID()}, ${userId}, ${type}, ${hash}, ${relatesTo.toLowerCase()})`;
}

/** 429 over_email_send_rate_limit when the last mail of this kind went out less than max_frequency ago. */
export function checkSendFrequency(emu: Emulator, sentAt: Date | null): void {
  if (!sentAt) return;
  const until = sentAt.getTime() + emu.config.maxFrequency * 1000;
  if (until > emu.now().getTime()) {
    const left = Math.floor((until - emu.now().getTime()) / 1000);
    throw tooManyRequests(
      "over_email_send_rate_limit",
      `For security purposes, you can only request this after ${left} seconds.`,
    );
  }
}

export interface IssuedToken {
  otp: string;
  /** The stored hash, `pkce_`-prefixed for PKCE flows; it is the `token` of the action link. */
  hashedToken: string;
}

/** A fresh OTP for `email`, hashed (and prefixed for PKCE). */
export function newEmailToken(emu: Emulator, email: string, pkce: boolean): IssuedToken {
  const otp = generateOtp(emu.config.otpLength);
  const hash = tokenHash(email, otp);
  return { otp, hashedToken: pkce ? PKCE_PREFIX + hash : hash };
}

/** Stores a confirmation (signup, invite) or recovery (recovery, magiclink) token on the user. */
export async function saveEmailToken(
  db: Db,
  emu: Emulator,
  user: UserRow,
  kind: "confirmation" | "recovery",
  token: IssuedToken,
  extra: Partial<UserRow> = {},
): Promise<UserRow> {
  const now = emu.now();
  const updated = await updateUser(
    db,
    emu,
    user.id,
    kind === "confirmation"
      ? { confirmation_token: token.hashedToken, confirmation_sent_at: now, ...extra }
      : { recovery_token: token.hashedToken, recovery_sent_at: now, ...extra },
  );
  await storeOneTimeToken(db, user.id, `${kind}_token`, token.hashedToken, user.email ?? "");
  return updated;
}

const expired = (emu: Emulator, sentAt: Date | null) =>
  !sentAt || emu.now().getTime() > sentAt.getTime() + emu.config.otpExpiry * 1000;

const OTT_TYPES: Record<string, OttType[]> = {
  email: ["confirmation_token", "recovery_token"],
  signup: ["confirmation_token"],
  invite: ["confirmation_token"],
  recovery: ["recovery_token"],
  magiclink: ["recovery_token"],
  email_change: ["email_change_token_current", "email_change_token_new"],
};

const linkInvalid = () => forbidden("otp_expired", "Email link is invalid or has expired");

/** A link's token hash → its user (verifyTokenHash); `type: "email"` resolves to signup or magiclink. */
export async function verifyTokenHash(db: Db, emu: Emulator, type: string, hash: string) {
  const types = OTT_TYPES[type];
  if (!types) throw validationFailed("Invalid email verification type");
  const [ott] = await db<{ user_id: string }[]>`
    select user_id from auth.one_time_tokens where token_type in ${
    db(types)
  } and token_hash = ${hash} limit 1`;
  const user = ott && await findUserById(db, ott.user_id);
  if (!user) throw linkInvalid();
  if (isBanned(user, emu.now())) throw forbidden("user_banned", "User is banned");
  let resolved = type;
  let sentAt = type === "recovery" || type === "magiclink"
    ? user.recovery_sent_at
    : type === "email_change"
    ? user.email_change_sent_at
    : user.confirmation_sent_at;
  if (type === "email") {
    resolved = user.recovery_token === hash ? "magiclink" : "signup";
    sentAt = resolved === "magiclink" ? user.recovery_sent_at : user.confirmation_sent_at;
  }
  if (expired(emu, sentAt)) throw linkInvalid();
  return { user, type: resolved };
}

/** An emailed OTP typed in by the user (verifyUserAndToken) → its user and resolved type. */
export async function verifyEmailOtp(db: Db, emu: Emulator, type: string, email: string, otp: string) {
  const hash = tokenHash(email, otp);
  const invalid = () => forbidden("otp_expired", "Token has expired or is invalid");
  const hashes = [hash, PKCE_PREFIX + hash];
  const user = type === "email_change"
    ? (await db<UserRow[]>`select * from auth.users
        where (lower(email) = ${email} and email_change_token_current in ${db(hashes)})
           or (email_change = ${email} and email_change_token_new in ${db(hashes)})
        limit 1`)[0]
    : await findUserByEmail(db, email);
  if (!user) throw invalid();
  if (isBanned(user, emu.now())) throw forbidden("user_banned", "User is banned");
  const valid = (expected: string | null, sentAt: Date | null) =>
    !!expected && !expired(emu, sentAt) && (expected === hash || expected === PKCE_PREFIX + hash);
  const confirmation = valid(user.confirmation_token, user.confirmation_sent_at);
  const recovery = valid(user.recovery_token, user.recovery_sent_at);
  const checks: Record<string, () => string | undefined> = {
    email: () => (confirmation ? "signup" : recovery ? "magiclink" : undefined),
    signup: () => (confirmation ? "signup" : undefined),
    invite: () => (confirmation ? "invite" : undefined),
    recovery: () => (recovery ? "recovery" : undefined),
    magiclink: () => (recovery ? "magiclink" : undefined),
    email_change: () =>
      valid(user.email_change_token_current, user.email_change_sent_at) ||
        valid(user.email_change_token_new, user.email_change_sent_at)
        ? "email_change"
        : undefined,
  };
  const resolved = checks[type]?.();
  if (!resolved) throw invalid();
  return { user, type: resolved, hash };
}
