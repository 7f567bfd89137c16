/** Signing in with an external identity (external.go createAccountFromExternalIdentity, simplified linking). */
import type { Db, Emulator } from "./context.ts";
import { forbidden, unprocessable } from "./errors.ts";
import { findIdentity, insertIdentity, updateIdentityData } from "./identities.ts";
import type { ProviderUser } from "./oauth_provider.ts";
import {
  confirmUser,
  findUserByEmail,
  findUserById,
  insertUser,
  isBanned,
  isConfirmed,
  mergeMetadata,
  updateProviders,
  updateUser,
  type UserRow,
} from "./users.ts";

/**
 * Finds or creates the user behind a provider identity: an existing identity signs in, a verified email that
 * matches a user links to it, otherwise a new confirmed user is created.
 */
export async function accountFromExternalIdentity(
  db: Db,
  emu: Emulator,
  ext: ProviderUser,
): Promise<UserRow> {
  const identity = await findIdentity(db, ext.providerId, ext.provider);
  let user: UserRow | undefined;
  if (identity) {
    user = await findUserById(db, identity.user_id);
    await updateIdentityData(db, emu, identity, ext.identityData, true);
  } else {
    const [linked] = await db<{ user_id: string }[]>`
      select user_id from auth.identities where email = ${ext.email.toLowerCase()} limit 1`;
    user = linked ? await findUserById(db, linked.user_id) : await findUserByEmail(db, ext.email);
    if (!user) {
      if (emu.config.disableSignup) {
        throw unprocessable("signup_disabled", "Signups not allowed for this instance");
      }
      user = await insertUser(db, emu, {
        email: ext.email,
        userMetadata: ext.identityData,
        appMetadata: { provider: ext.provider, providers: [ext.provider] },
      });
    }
    await insertIdentity(db, emu, user.id, ext.provider, ext.identityData);
  }
  if (!user) throw forbidden("user_not_found", "User not found");
  user = await updateUser(db, emu, user.id, {
    raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, ext.identityData),
  });
  user = await updateProviders(db, emu, user);
  if (isBanned(user, emu.now())) throw forbidden("user_banned", "User is banned");
  if (!isConfirmed(user)) {
    // RemoveUnconfirmedIdentities: nothing of an unproven signup survives a verified provider email.
    await db`delete from auth.identities where user_id = ${user.id} and provider <> ${ext.provider}`;
    user = await updateUser(db, emu, user.id, {
      encrypted_password: null,
      raw_user_meta_data: ext.identityData,
    });
    user = await updateProviders(db, emu, user);
    user = await confirmUser(db, emu, user);
  }
  return user;
}
