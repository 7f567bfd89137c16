/** Signing up with email and password; the account is confirmed by a link Auth emails. */
import { audit, type RequestContext } from "../audit/record.ts";
import type { Locale } from "../i18n/mod.ts";
import type { AuthClient } from "./supabase.ts";
import { authProblem, done, failed, type Outcome } from "./problems.ts";
import { limited } from "./limited.ts";

export interface SignUpInput {
  email: string;
  password: string;
  fullName: string;
  locale: Locale;
}

/**
 * Creates the account (profile name and locale travel as user metadata to the profile trigger). Answers
 * "confirm" when a link was emailed, "signed_in" when the project confirms automatically. An address that
 * already has an account gets the same answer, so sign-up never reveals who is registered.
 */
export async function signUp(
  client: AuthClient,
  input: SignUpInput,
  callbackUrl: string,
  context: RequestContext,
): Promise<Outcome<"confirm" | "signed_in">> {
  return await limited("signup", input.email, context, async () => {
    const { data, error } = await client.auth.signUp({
      email: input.email,
      password: input.password,
      options: { emailRedirectTo: callbackUrl, data: { full_name: input.fullName, locale: input.locale } },
    });
    if (error) {
      const problem = authProblem(error);
      if (error.code !== "user_already_exists") return failed(problem);
    }
    const user = data.user;
    // Auth answers an existing address with a stand-in user that has no identities.
    const existing = !user || (user.identities?.length ?? 0) === 0;
    await audit({
      action: "auth.sign_up",
      actor: existing ? undefined : { id: user!.id, email: user!.email },
      target: existing ? { type: "email", id: input.email.toLowerCase() } : { type: "user", id: user!.id },
      metadata: { outcome: existing ? "existing_account" : data.session ? "signed_in" : "confirmation_sent" },
    }, context);
    return done(data.session && !existing ? "signed_in" : "confirm");
  });
}
