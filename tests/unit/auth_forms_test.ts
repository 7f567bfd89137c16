import { assert, assertEquals } from "@std/assert";
import {
  checkPassword,
  passwordAcceptable,
  passwordStrength,
  passwordTooLong,
} from "../../lib/auth/password_rules.ts";
import { HOSTILE_RETURN_ADDRESSES } from "../_support/hostile_next.ts";
import { emailField, latinDigits, newPasswordField, phoneField, safeNext } from "../../lib/auth/fields.ts";
import { clientIp, isInternal, parseIp } from "../../lib/auth/request_context.ts";
import { fieldErrors } from "../../lib/http/form_errors.ts";
import { problemText } from "../../lib/auth/notices.ts";
import { translate } from "../../lib/i18n/mod.ts";
import type { AppContext } from "../../lib/http/env.ts";

Deno.test("[auth forms] password rules — length, lower, upper and digit, as supabase/config.toml asks", () => {
  assertEquals(checkPassword("abc"), { length: false, lower: true, upper: false, digit: false });
  assertEquals(checkPassword("Abcdefg1"), { length: true, lower: true, upper: true, digit: true });
  assert(!passwordAcceptable("abcdefg1"), "no uppercase");
  assert(!passwordAcceptable("ABCDEFG1"), "no lowercase");
  assert(!passwordAcceptable("Abcdefgh"), "no digit");
  assert(passwordAcceptable("Abcdefg1"));
  // Persian digits are not the digits Auth counts.
  assert(!passwordAcceptable("Abcdefg۱"));
  assert(passwordTooLong("Aa1" + "x".repeat(70)));
  assert(!passwordAcceptable("Aa1" + "x".repeat(70)));
});

Deno.test("[auth forms] strength — weak until the rules hold, then by length and symbols", () => {
  assertEquals(passwordStrength("short"), "weak");
  assertEquals(passwordStrength("Abcdefg1"), "fair");
  assertEquals(passwordStrength("Abcdefgh1234"), "good");
  assertEquals(passwordStrength("Abcdefgh1234!"), "strong");
  assertEquals(passwordStrength("Abcdefgh12345678!"), "strong");
});

Deno.test("[auth forms] fields — emails are trimmed and lower-cased; new passwords follow the rules", () => {
  assertEquals(emailField.parse("  Sara@Example.COM "), "sara@example.com");
  assertEquals(emailField.safeParse("not-an-email").error?.issues[0].message, "form.error.email");
  assertEquals(newPasswordField.safeParse("abcdefgh").error?.issues[0].message, "form.error.passwordRules");
  assert(newPasswordField.safeParse("Abcdefg1").success);
});

Deno.test("[auth forms] phone — Persian and Arabic digits become ASCII; blanks become null", () => {
  assertEquals(latinDigits("۰۹۱۲ ٣٤٥"), "0912 345");
  assertEquals(phoneField.parse("۰۹۱۲-۱۲۳ ۴۵۶۷"), "+989121234567");
  assertEquals(phoneField.parse("+98 912 123 4567"), "+989121234567");
  assertEquals(phoneField.parse(""), null);
  assertEquals(phoneField.parse(undefined), null);
  assertEquals(phoneField.safeParse("12ab").error?.issues[0].message, "form.error.phone");
});

Deno.test("[auth forms] next — only same-site paths survive; every hostile return address falls back", () => {
  for (
    const good of ["/admin/users?q=a", "/wallet/transfer?tomans=1#x", "/", "/a%20b", "/signin?next=%2Fwallet"]
  ) {
    assertEquals(safeNext(good), good, good);
  }
  for (const bad of HOSTILE_RETURN_ADDRESSES) {
    assertEquals(safeNext(bad), "/wallet", JSON.stringify(bad));
  }
  assertEquals(safeNext(undefined, "/"), "/");
});

Deno.test("[auth forms] errors — the first issue per field, as an i18n key", () => {
  const result = emailField.safeParse("x");
  assertEquals(fieldErrors(result.error!), { _form: "form.error.email" });
});

Deno.test("[auth forms] rate-limit text — the wait in seconds or minutes, with Persian digits in fa", () => {
  const t =
    (locale: "fa" | "en") => (key: Parameters<typeof translate>[1], p?: Record<string, string | number>) =>
      translate(locale, key, p);
  assertEquals(
    problemText(t("en"), "en", "rate_limited", 45),
    "Too many attempts. Please try again in 45 seconds.",
  );
  assertEquals(
    problemText(t("en"), "en", "rate_limited", 601),
    "Too many attempts. Please try again in 11 minutes.",
  );
  assert(problemText(t("fa"), "fa", "rate_limited", 120).includes("۲ دقیقه"));
});

function fakeContext(peer: string | undefined, forwarded?: string): AppContext {
  return {
    env: peer ? { remoteAddr: { hostname: peer } } : undefined,
    req: { header: (name: string) => name === "x-forwarded-for" ? forwarded : undefined },
  } as unknown as AppContext;
}

Deno.test("[auth forms] client IP — X-Forwarded-For counts only behind an internal proxy", () => {
  assertEquals(clientIp(fakeContext("203.0.113.5", "198.51.100.1")), "203.0.113.5");
  assertEquals(clientIp(fakeContext("10.0.0.2", "198.51.100.1, 10.0.0.7")), "198.51.100.1");
  assertEquals(clientIp(fakeContext("127.0.0.1", "spoofed, 198.51.100.9")), "198.51.100.9");
  assertEquals(clientIp(fakeContext("127.0.0.1")), "127.0.0.1");
  assertEquals(clientIp(fakeContext("::ffff:203.0.113.8")), "203.0.113.8");
  assertEquals(parseIp("[2001:db8::1]:443"), "2001:db8::1");
  assertEquals(parseIp("1.2.3.4:80"), "1.2.3.4");
  assertEquals(parseIp("not an ip"), undefined);
  assert(isInternal("192.168.1.1") && isInternal("::1") && !isInternal("8.8.8.8"));
});
