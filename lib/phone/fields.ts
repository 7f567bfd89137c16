/** The phone forms' fields and the short-lived cookie that carries a number from the form to its code page. */
import { z } from "zod";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { text } from "../http/schemas.ts";
import type { AppContext } from "../http/env.ts";
import { latinDigits } from "../i18n/digits.ts";
import { mobileNumber } from "../users/phone.ts";
import { secure } from "../auth/flow_cookies.ts";
import type { CodePurpose } from "./flows.ts";

/** A mobile number typed any way (lib/users/phone.ts) → E.164, or the field error that says what is wrong. */
export const mobileField = text("form.error.phoneInvalid").transform((typed, ctx) => {
  const number = mobileNumber(typed);
  if (number.ok) return number.e164;
  ctx.addIssue({
    code: "custom",
    message: typed.trim() === ""
      ? "form.error.required"
      : number.problem === "not_mobile"
      ? "form.error.phoneNotMobile"
      : "form.error.phoneInvalid",
  });
  return z.NEVER;
});

/** The six-digit code, in any digits, pasted with spaces or dashes. */
export const codeField = text("phone.error.code").transform((typed, ctx) => {
  const code = latinDigits(typed).replace(/[\s\u200c\u200e\u200f-]/g, "");
  if (/^\d{6}$/.test(code)) return code;
  ctx.addIssue({ code: "custom", message: typed.trim() === "" ? "form.error.required" : "phone.error.code" });
  return z.NEVER;
});

const COOKIE = "pk_phone";
const PURPOSES: readonly CodePurpose[] = ["signin", "signup", "change"];

export interface PendingCode {
  e164: string;
  purpose: CodePurpose;
  /** When the last code was asked for (ms since the epoch), for the resend countdown. */
  sentAt: number;
}

/** Remembers the number a code went to (15 minutes, HttpOnly; it only says which number to check). */
export function rememberPending(c: AppContext, pending: PendingCode): void {
  setCookie(c, COOKIE, btoa(JSON.stringify(pending)), {
    path: "/auth/phone",
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(c),
    maxAge: 900,
  });
}

export function pendingCode(c: AppContext): PendingCode | undefined {
  try {
    const value = JSON.parse(atob(getCookie(c, COOKIE) ?? ""));
    if (typeof value?.e164 !== "string" || !mobileNumber(value.e164).ok) return undefined;
    if (!PURPOSES.includes(value.purpose) || typeof value.sentAt !== "number") return undefined;
    return { e164: value.e164, purpose: value.purpose, sentAt: value.sentAt };
  } catch {
    return undefined;
  }
}

export function forgetPending(c: AppContext): void {
  deleteCookie(c, COOKIE, { path: "/auth/phone" });
}
