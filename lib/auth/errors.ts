/**
 * The auth flows' refusals. Sign-in, sign-up and link pages answer them as outcomes (the form again, with the
 * sentence `auth.problem.<code>`), not as thrown errors, but the status comes from this one table.
 */
import { defineRefusals } from "../errors.ts";

export const authErrors = defineRefusals("auth", {
  invalid_credentials: { status: 400, message: "The email or password is not right." },
  email_not_confirmed: { status: 400, message: "Confirm the email address first." },
  user_banned: { status: 403, message: "This account is suspended." },
  weak_password: { status: 400, message: "The password is too weak." },
  same_password: { status: 400, message: "The new password is the old one." },
  rate_limited: { status: 429, message: "Too many attempts; try again later." },
  link_invalid: { status: 400, message: "The link is invalid or has expired." },
  cancelled: { status: 400, message: "Sign-in was cancelled." },
  signup_disabled: { status: 400, message: "Sign-up is closed." },
  unavailable: { status: 503, message: "Sign-in is unavailable right now; try again soon." },
  unknown: { status: 400, message: "Sign-in did not work." },
});
