/** Signing in: password, emailed link, OAuth (PKCE), and completing a link or provider callback. */
import { audit, type RequestContext } from "../audit/record.ts";
import type { AuthClient } from "./supabase.ts";
import { authProblem, done, failed, type Outcome } from "./problems.ts";
import { limited } from "./limited.ts";
import { verifyAccessToken } from "./tokens.ts";

export const OAUTH_PROVIDERS = ["github", "google"] as const;
export type OAuthProvider = typeof OAUTH_PROVIDERS[number];

/** Password sign-in behind the sign-in limits; success and failure are both audited. */
export async function signInWithPassword(
  client: AuthClient,
  input: { email: string; password: string },
  context: RequestContext,
): Promise<Outcome<{ userId: string }>> {
  return await limited("signin", input.email, context, async () => {
    const { data, error } = await client.auth.signInWithPassword(input);
    if (error || !data.user) {
      const problem = error ? authProblem(error) : "unknown";
      if (problem !== "unavailable") {
        await audit({
          action: "auth.sign_in_failed",
          target: { type: "email", id: input.email.toLowerCase() },
          metadata: { method: "password", reason: error?.code ?? problem },
        }, context);
      }
      return failed(problem);
    }
    await audit({
      action: "auth.sign_in",
      actor: { id: data.user.id, email: data.user.email },
      target: { type: "user", id: data.user.id },
      metadata: { method: "password" },
    }, context);
    return done({ userId: data.user.id });
  });
}

/** Emails a one-time sign-in link to an existing account; unknown addresses look the same to the caller. */
export async function sendMagicLink(
  client: AuthClient,
  email: string,
  callbackUrl: string,
  context: RequestContext,
): Promise<Outcome> {
  return await limited("magic", email, context, async () => {
    const { error } = await client.auth.signInWithOtp({
      email,
      options: { emailRedirectTo: callbackUrl, shouldCreateUser: false },
    });
    if (error && error.code !== "otp_disabled" && error.code !== "user_not_found") {
      const problem = authProblem(error);
      if (problem === "rate_limited" || problem === "unavailable") return failed(problem);
    }
    return done(undefined);
  });
}

/** The provider's authorization URL; the PKCE verifier goes into a cookie on the way. */
export async function startOAuth(
  client: AuthClient,
  provider: OAuthProvider,
  callbackUrl: string,
): Promise<Outcome<string>> {
  const { data, error } = await client.auth.signInWithOAuth({
    provider,
    options: { redirectTo: callbackUrl, skipBrowserRedirect: true },
  });
  if (error || !data.url) return failed(error ? authProblem(error) : "unknown");
  return done(data.url);
}

/** The `type` of an emailed link that carries a `token_hash`. */
export const EMAIL_LINK_TYPES = [
  "signup",
  "magiclink",
  "recovery",
  "email",
  "invite",
  "email_change",
] as const;
export type EmailLinkType = typeof EMAIL_LINK_TYPES[number];

export interface CallbackParams {
  code?: string;
  tokenHash?: string;
  type?: EmailLinkType;
  /** The code of a confirmation or sign-in email, typed on /auth/code, with its address. */
  emailCode?: { email: string; token: string };
}

/**
 * Finishes a confirmation link, magic link, password-recovery link, OAuth callback or an emailed code typed on
 * /auth/code: exchanges the PKCE code (or verifies the token hash or code), which sets the session cookies, and
 * audits the sign-in.
 */
export async function completeCallback(
  client: AuthClient,
  params: CallbackParams,
  context: RequestContext,
): Promise<Outcome<{ recovery: boolean; userId: string }>> {
  const result = params.code
    ? await client.auth.exchangeCodeForSession(params.code)
    : params.tokenHash && params.type
    ? await client.auth.verifyOtp({ token_hash: params.tokenHash, type: params.type })
    : params.emailCode
    // "email" takes a sign-up confirmation code as well as a sign-in (magic link) one.
    ? await client.auth.verifyOtp({ ...params.emailCode, type: "email" })
    : undefined;
  if (!result) return failed("link_invalid");
  if (result.error || !result.data.session) {
    return failed(result.error ? authProblem(result.error) : "link_invalid");
  }
  const claims = await verifyAccessToken(result.data.session.access_token);
  const recovery = ("redirectType" in result.data && result.data.redirectType === "recovery") ||
    params.type === "recovery";
  await audit({
    action: "auth.sign_in",
    actor: { id: claims.sub, email: claims.email },
    target: { type: "user", id: claims.sub },
    metadata: { method: claims.amr?.[0]?.method ?? (recovery ? "recovery" : "link") },
  }, context);
  return done({ recovery, userId: claims.sub });
}
