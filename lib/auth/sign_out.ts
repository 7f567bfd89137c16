/** Signing out of this device or of every device. */
import { audit, type RequestContext } from "../audit/record.ts";
import type { AuthClient } from "./supabase.ts";
import type { UserClaims } from "./tokens.ts";

export type SignOutScope = "local" | "global";

/** Revokes the session (or all of the user's sessions) in Auth and clears the cookies; audited. */
export async function signOut(
  client: AuthClient,
  claims: UserClaims | undefined,
  scope: SignOutScope,
  context: RequestContext,
): Promise<void> {
  const { error } = await client.auth.signOut({ scope });
  // The cookies must go even when Auth cannot be reached.
  if (error) await client.auth.signOut({ scope: "local" }).catch(() => {});
  if (claims) {
    await audit({
      action: "auth.sign_out",
      actor: { id: claims.sub, email: claims.email },
      target: { type: "user", id: claims.sub },
      metadata: { scope },
    }, context);
  }
}
