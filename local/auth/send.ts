/** The token-bearing mails of mail.go: confirmation, invite, recovery, magic link and email change. */
import type { Db, Emulator } from "./context.ts";
import { sendAuthMail } from "./mail.ts";
import { checkEmailRateLimit } from "./mail.ts";
import { checkSendFrequency, newEmailToken, saveEmailToken, storeOneTimeToken } from "./otp.ts";
import { updateUser, type UserRow } from "./users.ts";

/** sendConfirmation: a signup confirmation (PKCE tokens carry the pkce_ prefix). */
export async function sendConfirmation(
  db: Db,
  emu: Emulator,
  user: UserRow,
  pkce: boolean,
  redirectTo: string,
) {
  checkSendFrequency(emu, user.confirmation_sent_at);
  checkEmailRateLimit(emu);
  const token = newEmailToken(emu, user.email!, pkce);
  await sendAuthMail(db, emu, {
    kind: "signup",
    to: user.email!,
    ...token,
    redirectTo,
    data: user.raw_user_meta_data,
  });
  return await saveEmailToken(db, emu, user, "confirmation", token);
}

/** sendInvite: an invitation (no frequency limit); stamps invited_at. */
export async function sendInvite(db: Db, emu: Emulator, user: UserRow, redirectTo: string) {
  checkEmailRateLimit(emu);
  const token = newEmailToken(emu, user.email!, false);
  await sendAuthMail(db, emu, {
    kind: "invite",
    to: user.email!,
    ...token,
    redirectTo,
    data: user.raw_user_meta_data,
  });
  return await saveEmailToken(db, emu, user, "confirmation", token, { invited_at: emu.now() });
}

/** sendPasswordRecovery / sendMagicLink: both use the recovery token and its timer. */
export async function sendRecoveryOrMagicLink(
  db: Db,
  emu: Emulator,
  user: UserRow,
  kind: "recovery" | "magiclink",
  pkce: boolean,
  redirectTo: string,
) {
  checkSendFrequency(emu, user.recovery_sent_at);
  checkEmailRateLimit(emu);
  const token = newEmailToken(emu, user.email!, pkce);
  await sendAuthMail(db, emu, { kind, to: user.email!, ...token, redirectTo, data: user.raw_user_meta_data });
  return await saveEmailToken(db, emu, user, "recovery", token);
}

/** sendEmailChange: a token to the new address and, with secure email change, one to the current address. */
export async function sendEmailChange(
  db: Db,
  emu: Emulator,
  user: UserRow,
  newEmail: string,
  pkce: boolean,
  redirectTo: string,
) {
  checkSendFrequency(emu, user.email_change_sent_at);
  checkEmailRateLimit(emu);
  const tokenNew = newEmailToken(emu, newEmail, pkce);
  const secure = emu.config.secureEmailChange && !!user.email;
  const tokenCurrent = secure ? newEmailToken(emu, user.email!, pkce) : undefined;
  await sendAuthMail(db, emu, {
    kind: "email_change",
    to: newEmail,
    ...tokenNew,
    redirectTo,
    newEmail,
    data: user.raw_user_meta_data,
  });
  if (tokenCurrent) {
    await sendAuthMail(db, emu, {
      kind: "email_change",
      to: user.email!,
      ...tokenCurrent,
      redirectTo,
      newEmail,
      data: user.raw_user_meta_data,
    });
  }
  const updated = await updateUser(db, emu, user.id, {
    email_change: newEmail,
    email_change_token_new: tokenNew.hashedToken,
    email_change_token_current: tokenCurrent?.hashedToken ?? "",
    email_change_sent_at: emu.now(),
    email_change_confirm_status: 0,
  });
  if (tokenCurrent) {
    await storeOneTimeToken(db, user.id, "email_change_token_current", tokenCurrent.hashedToken, user.email!);
  }
  await storeOneTimeToken(db, user.id, "email_change_token_new", tokenNew.hashedToken, newEmail);
  return updated;
}

/** sendReauthenticationOtp: a code (no link) for confirming a sensitive change. */
export async function sendReauthentication(db: Db, emu: Emulator, user: UserRow) {
  checkSendFrequency(emu, user.reauthentication_sent_at);
  checkEmailRateLimit(emu);
  const token = newEmailToken(emu, user.email!, false);
  await sendAuthMail(db, emu, {
    kind: "reauthentication",
    to: user.email!,
    ...token,
    redirectTo: "",
    data: user.raw_user_meta_data,
  });
  await updateUser(db, emu, user.id, {
    reauthentication_token: token.hashedToken,
    reauthentication_sent_at: emu.now(),
  });
  await storeOneTimeToken(db, user.id, "reauthentication_token", token.hashedToken, user.email!);
}
