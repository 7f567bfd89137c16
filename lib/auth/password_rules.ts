/** Password rules of supabase/config.toml (length 8, lower + upper + digits), shared by server and island. */

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads 72 bytes; Auth refuses longer passwords. */
export const PASSWORD_MAX_BYTES = 72;

export const PASSWORD_RULES = ["length", "lower", "upper", "digit"] as const;
export type PasswordRule = typeof PASSWORD_RULES[number];

const tests: Record<PasswordRule, (password: string) => boolean> = {
  length: (p) => [...p].length >= PASSWORD_MIN_LENGTH,
  lower: (p) => /[a-z]/.test(p),
  upper: (p) => /[A-Z]/.test(p),
  digit: (p) => /[0-9]/.test(p),
};

/** Which rules the password meets, in PASSWORD_RULES order. */
export function checkPassword(password: string): Record<PasswordRule, boolean> {
  return Object.fromEntries(PASSWORD_RULES.map((rule) => [rule, tests[rule](password)])) as Record<
    PasswordRule,
    boolean
  >;
}

export function passwordTooLong(password: string): boolean {
  return new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES;
}

/** True when every rule holds and the password fits bcrypt. */
export function passwordAcceptable(password: string): boolean {
  return Object.values(checkPassword(password)).every(Boolean) && !passwordTooLong(password);
}

export type PasswordStrength = "weak" | "fair" | "good" | "strong";

/** A rough strength for feedback only: rules met, then length and symbols beyond the minimum. */
export function passwordStrength(password: string): PasswordStrength {
  if (!passwordAcceptable(password)) return "weak";
  const length = [...password].length;
  const symbol = /[^A-Za-z0-9]/.test(password);
  const score = (length >= 12 ? 1 : 0) + (length >= 16 ? 1 : 0) + (symbol ? 1 : 0);
  return score === 0 ? "fair" : score === 1 ? "good" : "strong";
}
