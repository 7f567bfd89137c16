/** zod fields shared by the account forms; every message is an i18n key. */
import { z } from "zod";
import { PASSWORD_MIN_LENGTH, passwordAcceptable } from "./password_rules.ts";

export const emailField = z.string().trim().toLowerCase().max(254, "form.error.email")
  .pipe(z.email("form.error.email"));

/** A password being checked (sign-in, current password): anything non-empty within bcrypt's limit. */
export const passwordField = z.string().min(1, "form.error.required").max(200, "form.error.passwordLong");

/** A password being chosen: the rules of supabase/config.toml. */
export const newPasswordField = z.string().min(PASSWORD_MIN_LENGTH, "form.error.passwordRules")
  .max(200, "form.error.passwordLong")
  .refine(passwordAcceptable, "form.error.passwordRules");

/**
 * The one check for every return address the app takes (sign-in `next`, OAuth and emailed-link flows, the
 * locale switch): a same-site path, or `fallback`. Refused: other origins and schemes (`https:`, `javascript:`),
 * protocol-relative `//host` and `/\host` (browsers read `\` as `/`), their percent-encoded forms
 * (`/%2F…`, `/%5C…`), and any whitespace or control character (browsers drop tabs and newlines inside URLs).
 */
export function safeNext(value: string | undefined | null, fallback = "/profile"): string {
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

export const nextField = z.string().optional().transform((v) => safeNext(v));

/** Checkbox: present ("on") when ticked, absent otherwise. */
export const checkboxField = z.string().optional().transform((v) => v === "on");

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

/** Persian and Arabic-Indic digits as ASCII digits, for numbers people type on a Persian keyboard. */
export function latinDigits(text: string): string {
  return text.replace(/[۰-۹]/g, (d) => String(PERSIAN_DIGITS.indexOf(d)))
    .replace(/[٠-٩]/g, (d) => String(ARABIC_DIGITS.indexOf(d)));
}

/** An optional mobile number: digits (any script), spaces and dashes allowed; stored as +?digits. */
export const phoneField = z.string().optional()
  .transform((v) => latinDigits(v ?? "").replace(/[\s\-()]/g, ""))
  .pipe(z.string().regex(/^(\+?[0-9]{8,15})?$/, "form.error.phone"))
  .transform((v) => v || null);
