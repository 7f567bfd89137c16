/** What a verified email token does to the user (verify.go signupVerify, recoverVerify, emailChangeVerify). */
import type { Db, Emulator } from "./context.ts";
import { validationFailed } from "./errors.ts";
import {
  emailIdentityData,
  findIdentity,
  insertIdentity,
  listIdentities,
  updateIdentityData,
} from "./identities.ts";
import { PKCE_PREFIX } from "./pkce.ts";
import { generatePassword } from "./signup_flow.ts";
import {
  confirmUser,
  hasPassword,
  isConfirmed,
  setPassword,
  updateProviders,
  updateUser,
  type UserRow,
} from "./users.ts";

export const SINGLE_CONFIRMATION =
  "Confirmation link accepted. Please proceed to confirm link sent to the other email";

/** Confirms a signup or an invite; an invited user without a password gets a random one. */
async function signupVerify(db: Db, emu: Emulator, user: UserRow): Promise<UserRow> {
  if (!hasPassword(user) && user.invited_at) await setPassword(db, emu, user.id, generatePassword([], 64));
  const confirmed = await confirmUser(db, emu, user);
  for (const identity of await listIdentities(db, user.id)) {
    if (identity.email && identity.email === confirmed.email) {
      await updateIdentityData(db, emu, identity, { email_verified: true });
    }
  }
  return confirmed;
}

/** Uses up the recovery token; a magic link or recovery also confirms an unconfirmed email. */
async function recoverVerify(db: Db, emu: Emulator, user: UserRow): Promise<UserRow> {
  await db`delete from auth.one_time_tokens where user_id = ${user.id}`;
  const updated = await updateUser(db, emu, user.id, { recovery_token: "" });
  return isConfirmed(updated) ? updated : await confirmUser(db, emu, updated);
}

const matches = (stored: string | null, hash: string) =>
  !!stored && (stored === hash || stored === PKCE_PREFIX + hash);

/** The first of two secure-change links only records itself; the second (or only) one swaps the address. */
async function emailChangeVerify(
  db: Db,
  emu: Emulator,
  user: UserRow,
  hash: string,
): Promise<UserRow | "single"> {
  const { config } = emu;
  if (
    !config.mailerAutoconfirm && config.secureEmailChange && !user.email_change_confirm_status && user.email
  ) {
    const current = matches(user.email_change_token_current, hash);
    const type = current ? "email_change_token_current" : "email_change_token_new";
    await db`delete from auth.one_time_tokens where user_id = ${user.id} and token_type = ${type}`;
    await updateUser(db, emu, user.id, {
      email_change_confirm_status: 1,
      ...(current ? { email_change_token_current: "" } : { email_change_token_new: "" }),
    });
    return "single";
  }
  const newEmail = user.email_change!;
  const identity = await findIdentity(db, user.id, "email");
  if (identity) await updateIdentityData(db, emu, identity, { email: newEmail, email_verified: true });
  else await insertIdentity(db, emu, user.id, "email", emailIdentityData(user.id, newEmail, true));
  await db`delete from auth.one_time_tokens where user_id = ${user.id}`;
  const changed = await updateUser(db, emu, user.id, {
    email: newEmail,
    email_change: "",
    email_change_token_current: "",
    email_change_token_new: "",
    email_change_confirm_status: 0,
    is_anonymous: false,
  });
  return isConfirmed(changed) ? changed : await confirmUser(db, emu, changed);
}

/** Applies a verified token of `type`; "single" means one half of a secure email change was accepted. */
export async function applyVerification(
  db: Db,
  emu: Emulator,
  user: UserRow,
  type: string,
  hash: string,
): Promise<UserRow | "single"> {
  let result: UserRow | "single";
  if (type === "signup" || type === "invite") result = await signupVerify(db, emu, user);
  else if (type === "recovery" || type === "magiclink") result = await recoverVerify(db, emu, user);
  else if (type === "email_change") result = await emailChangeVerify(db, emu, user, hash);
  else throw validationFailed("Unsupported verification type");
  return result === "single" ? result : await updateProviders(db, emu, result);
}

/** The authentication method a PKCE email flow was started with (models.ParseAuthenticationMethod). */
export function authMethodOf(type: string): string {
  if (type.endsWith("signup")) return "email/signup";
  if (["recovery", "invite", "magiclink", "email_change", "otp"].includes(type)) return type;
  throw validationFailed(`unsupported authentication method ${type}`);
}
