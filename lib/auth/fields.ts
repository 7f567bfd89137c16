/** zod fields shared by the account forms; every message is an i18n key. */
import { z } from "zod";
import { text } from "../http/schemas.ts";
import { PASSWORD_MIN_LENGTH, passwordAcceptable } from "./password_rules.ts";
import { normalizePhone } from "../users/phone.ts";

export const emailField = text("form.error.email").trim().toLowerCase().max(254, "form.error.email")
  .pipe(z.email("form.error.email"));

/** A password being checked (sign-in, current password): anything non-empty within bcrypt's limit. */
export const passwordField = text("form.error.invalid").min(1, "form.error.required").max(
  200,
  "form.error.passwordLong",
);

/** A password being chosen: the rules of supabase/config.toml. */
export const newPasswordField = text("form.error.passwordRules").min(
  PASSWORD_MIN_LENGTH,
  "form.error.passwordRules",
)
  .max(200, "form.error.passwordLong")
  .refine(passwordAcceptable, "form.error.passwordRules");

/** Where a signed-in person lands when nothing else was asked for: their wallet. */
export const LANDING = "/wallet";

/**
 * The one check for every return address the app takes (sign-in `next`, OAuth and emailed-link flows, the
 * locale switch): a same-site path, or `fallback`. Refused: other origins and schemes (`https:`, `javascript:`),
 * protocol-relative `//host` and `/\host` (browsers read `\` as `/`), their percent-encoded forms
 * (`/%2F…`, `/%5C…`), and any whitespace or control character (browsers drop tabs and newlines inside URLs).
 * Without a usable address a signed-in person lands on their wallet.
 */
export function safeNext(value: string | undefined | null, fallback = LANDING): string {
  if (!value || value.length > 500) return fallback;
  // deno-lint-ignore no-control-regex
  if (!/^\/(?![/\\])[^\\\s\u0000-\u001f\u007f]*$/.test(value)) return fallback;
  if (/^\/%(2f|5c)/i.test(value)) return fallback;
  const base = "http://next.invalid";
  try {
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
  } catch {
    return fallback;
  }
  return value;
}

export const nextField = text().optional().transform((v) => safeNext(v));

/** Checkbox: present ("on") when ticked, absent otherwise. */
export const checkboxField = text().optional().transform((v) => v === "on");

export { latinDigits } from "../i18n/digits.ts";

/** An optional Iranian mobile number, typed any way people type it (see normalizePhone); stored as E.164. */
export const phoneField = text("form.error.phone").optional()
  .transform((v, ctx) => {
    if (!v?.trim()) return null;
    const e164 = normalizePhone(v);
    if (!e164) ctx.addIssue({ code: "custom", message: "form.error.phone" });
    return e164 ?? null;
  });
