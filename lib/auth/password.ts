/** Forgotten and changed passwords. */
import { audit, type RequestContext } from "../audit/record.ts";
import { type AuthClient, detachedAuth } from "./supabase.ts";
import { authProblem, done, failed, type Outcome } from "./problems.ts";
import { limited } from "./limited.ts";
import type { UserClaims } from "./tokens.ts";

/** Emails a password-reset link; the answer is the same whether or not the address has an account. */
export async function requestPasswordReset(
  client: AuthClient,
  email: string,
  callbackUrl: string,
  context: RequestContext,
): Promise<Outcome> {
  return await limited("recover", email, context, async () => {
    const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo: callbackUrl });
    if (error) {
      const problem = authProblem(error);
      if (problem === "rate_limited" || problem === "unavailable") return failed(problem);
    }
    await audit({
      action: "auth.recovery_requested",
      target: { type: "email", id: email.toLowerCase() },
    }, context);
    return done(undefined);
  });
}

/**
 * Checks `password` for the signed-in user without touching their cookies: a throw-away in-memory sign-in
 * (counted against the sign-in limits) whose session is revoked straight away.
 */
export async function verifyCurrentPassword(
  claims: UserClaims,
  password: string,
  context: RequestContext,
  purpose: "password_change" | "reauthentication" = "password_change",
): Promise<Outcome> {
  const email = claims.email ?? "";
  return await limited("signin", email, context, async () => {
    const auth = detachedAuth();
    const { data, error } = await auth.signInWithPassword({ email, password });
    if (error || data.user?.id !== claims.sub) {
      await audit({
        action: "auth.sign_in_failed",
        actor: { id: claims.sub, email },
        target: { type: "user", id: claims.sub },
        metadata: { method: "password", purpose, reason: error?.code ?? "mismatch" },
      }, context);
      return failed(error ? authProblem(error) : "invalid_credentials");
    }
    await auth.signOut({ scope: "local" });
    return done(undefined);
  });
}

/** Sets a new password for the session's user and audits it. */
export async function changePassword(
  client: AuthClient,
  claims: UserClaims,
  password: string,
  context: RequestContext,
  via: "profile" | "recovery",
): Promise<Outcome> {
  const { error } = await client.auth.updateUser({ password });
  if (error) return failed(authProblem(error));
  await audit({
    action: "auth.password_change",
    actor: { id: claims.sub, email: claims.email },
    target: { type: "user", id: claims.sub },
    metadata: { via },
  }, context);
  return done(undefined);
}
