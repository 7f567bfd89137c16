/** zod fields shared by the account forms; every message is an i18n key. */
import { z } from "zod";
import { text } from "../http/schemas.ts";
import { PASSWORD_MIN_LENGTH, passwordAcceptable } from "./password_rules.ts";

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

/** Same-site paths only (never `//host` or `/\host`), so `next` cannot become an open redirect. */
export function safeNext(value: string | undefined | null, fallback = "/profile"): string {
  if (!value || !/^\/(?![/\\])[^\s\\]*$/.test(value) || value.length > 500) return fallback;
  return value;
}

export const nextField = text().optional().transform((v) => safeNext(v));

/** Checkbox: present ("on") when ticked, absent otherwise. */
export const checkboxField = text().optional().transform((v) => v === "on");

const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

/** Persian and Arabic-Indic digits as ASCII digits, for numbers people type on a Persian keyboard. */
export function latinDigits(text: string): string {
  return text.replace(/[۰-۹]/g, (d) => String(PERSIAN_DIGITS.indexOf(d)))
    .replace(/[٠-٩]/g, (d) => String(ARABIC_DIGITS.indexOf(d)));
}

/** An optional mobile number: digits (any script), spaces and dashes allowed; stored as +?digits. */
export const phoneField = text("form.error.phone").optional()
  .transform((v) => latinDigits(v ?? "").replace(/[\s\-()]/g, ""))
  .pipe(z.string().regex(/^(\+?[0-9]{8,15})?$/, "form.error.phone"))
  .transform((v) => v || null);
