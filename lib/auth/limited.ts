/** Runs an auth flow behind its rate limits, turning a refusal into a `rate_limited` outcome. */
import {
  enforceRateLimits,
  forgetSigninAttempts,
  type LimitedAction,
  retryAfterOf,
} from "../rate_limit/enforce.ts";
import type { RequestContext } from "../audit/record.ts";
import { failed, type Outcome } from "./problems.ts";

export async function limited<T>(
  action: LimitedAction,
  email: string,
  context: RequestContext,
  flow: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  try {
    await enforceRateLimits(action, { ip: context.ip, email });
  } catch (error) {
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) return failed("rate_limited", retryAfter);
    throw error;
  }
  const outcome = await flow();
  // Only failures build up the growing sign-in delay: the right password starts the count again.
  if (action === "signin" && outcome.ok) await forgetSigninAttempts({ ip: context.ip, email });
  return outcome;
}
