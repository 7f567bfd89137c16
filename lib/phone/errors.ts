/**
 * Phone sign-in's refusals. The phone pages answer them as outcomes (the form again, with the sentence
 * `phone.problem.<code>`), not as thrown errors; the status comes from this one table. No SQL raises them.
 */
import { defineRefusals } from "../errors.ts";

export const phoneErrors = defineRefusals("phone", {
  code_wrong: { status: 400, message: "The code is not right, or it has expired." },
  code_attempts: { status: 429, message: "Too many wrong codes for this number; wait before trying again." },
  sms_limited: { status: 429, message: "Too many codes were requested; wait before asking again." },
  phone_taken: { status: 409, message: "Another account already uses this mobile number." },
  phone_exists: { status: 409, message: "This mobile number already has an account; sign in instead." },
  sms_unavailable: { status: 503, message: "Text messages cannot be sent right now; try again soon." },
}, "PH");

export const PHONE_PROBLEMS = phoneErrors.codes;
export type PhoneProblem = typeof PHONE_PROBLEMS[number];

/** The HTTP status of a form answered with a problem (a weak password is the form's own 400). */
export function phoneStatus(problem: PhoneProblem | "weak_password"): 400 | 409 | 429 | 503 {
  return problem === "weak_password" ? 400 : phoneErrors.refuse(problem).status as 400 | 409 | 429 | 503;
}

export function isPhoneProblem(value: string | undefined): value is PhoneProblem {
  return (PHONE_PROBLEMS as readonly string[]).includes(value ?? "");
}
