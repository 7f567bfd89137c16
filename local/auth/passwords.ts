/** Password rules of internal/api/password.go: bcrypt's 72-byte cap, minimum length, required character sets. */
import type { AuthConfig } from "./config.ts";
import { AuthError, validationFailed } from "./errors.ts";

export const MAX_PASSWORD_LENGTH = 72;

/** The weak_password error, or undefined when the password meets the configured requirements. */
export function weakPassword(config: AuthConfig, password: string): AuthError | undefined {
  // Like Go's len(), both limits count bytes.
  const bytes = new TextEncoder().encode(password).length;
  if (bytes > MAX_PASSWORD_LENGTH) {
    throw validationFailed(`Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  const reasons: string[] = [];
  const messages: string[] = [];
  if (bytes < config.minPasswordLength) {
    reasons.push("length");
    messages.push(`Password should be at least ${config.minPasswordLength} characters.`);
  }
  const sets = config.requiredCharacters;
  if (sets.some((set) => ![...password].some((ch) => set.includes(ch)))) {
    reasons.push("characters");
    messages.push(`Password should contain at least one character of each: ${sets.join(", ")}.`);
  }
  if (!reasons.length) return undefined;
  return new AuthError(422, "weak_password", messages.join(" "), reasons);
}

/** Throws 422 weak_password (with reasons) or 400 validation_failed for an unacceptable password. */
export function checkPasswordStrength(config: AuthConfig, password: string): void {
  const weak = weakPassword(config, password);
  if (weak) throw weak;
}
