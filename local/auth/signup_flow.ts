/** The email signup of signup.go, shared by POST /signup and by /otp for unknown addresses. */
import type { Emulator, GrantParams } from "./context.ts";
import { emailIdentityData, findIdentity, insertIdentity } from "./identities.ts";
import { createFlowState } from "./pkce.ts";
import { sendConfirmation } from "./send.ts";
import { issueSession, type TokenResponse } from "./sessions.ts";
import {
  confirmUser,
  findUserByEmail,
  insertUser,
  isConfirmed,
  updateProviders,
  updateUser,
  type UserRow,
} from "./users.ts";
import { loadUserJson } from "./user_json.ts";

export interface EmailSignup {
  email: string;
  password: string;
  data: Record<string, unknown>;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  redirectTo: string;
}

export type SignupResult =
  | { exists: UserRow }
  | { session: TokenResponse }
  | { user: Record<string, unknown> };

/** Creates (or re-confirms) the user: `exists` for a confirmed address, else a session or the unconfirmed user. */
export async function signUpWithEmail(
  emu: Emulator,
  params: EmailSignup,
  grant: GrantParams,
): Promise<SignupResult> {
  return await emu.sql.begin(async (tx): Promise<SignupResult> => {
    let user = await findUserByEmail(tx, params.email);
    if (user && isConfirmed(user)) return { exists: user };
    // An existing unconfirmed user is not updated: the claimed identity is not proven yet.
    if (!user) {
      user = await insertUser(tx, emu, {
        email: params.email,
        password: params.password,
        userMetadata: params.data,
        appMetadata: { provider: "email", providers: ["email"] },
      });
    }
    if (!(await findIdentity(tx, user.id, "email"))) {
      const identityData = { ...params.data, ...emailIdentityData(user.id, params.email) };
      const identity = await insertIdentity(tx, emu, user.id, "email", identityData);
      // RemoveUnconfirmedIdentities: an unconfirmed user keeps only the identity now being claimed.
      await tx`delete from auth.identities where user_id = ${user.id} and id <> ${identity.id}`;
      user = await updateUser(tx, emu, user.id, { raw_user_meta_data: identityData });
      user = await updateProviders(tx, emu, user);
    }
    if (emu.config.mailerAutoconfirm) {
      user = await confirmUser(tx, emu, user);
      return { session: await issueSession(tx, emu, user, "password", grant) };
    }
    if (params.codeChallenge) {
      await createFlowState(tx, emu, {
        providerType: "email",
        authenticationMethod: "email/signup",
        codeChallenge: params.codeChallenge,
        codeChallengeMethod: params.codeChallengeMethod,
        userId: user.id,
      });
    }
    user = await sendConfirmation(tx, emu, user, !!params.codeChallenge, params.redirectTo);
    const json = await loadUserJson(tx, user.id);
    return { user: user.invited_at ? { ...json, user_metadata: {}, identities: [] } : json };
  });
}

/** A random password meeting the configured character sets (crypto.GeneratePassword for magic-link signups). */
export function generatePassword(requiredSets: string[], length = 33): string {
  const pick = (chars: string) => chars[crypto.getRandomValues(new Uint32Array(1))[0] % chars.length];
  const all = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const chars = requiredSets.map(pick);
  while (chars.length < length) chars.push(pick(all));
  return chars.join("");
}
