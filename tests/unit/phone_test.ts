import { assertEquals } from "@std/assert";
import fc from "fast-check";
import { displayPhone, maskPhone, mobileNumber, normalizePhone } from "../../lib/users/phone.ts";
import { mobileField } from "../../lib/phone/fields.ts";
import { foreignMobile, iranianLandline, notAMobile, typedMobile } from "../_support/phones.ts";

Deno.test("[phone] the forms the UI suggests and people type all become +98912…", () => {
  for (
    const typed of [
      "09121234567",
      "0912 123 4567",
      "0912-123-4567",
      "+989121234567",
      "+98 912 123 4567",
      "989121234567",
      "00989121234567",
      "9121234567",
      "+98 (0)912 123 4567",
      "۰۹۱۲۱۲۳۴۵۶۷",
      "٠٩١٢١٢٣٤٥٦٧",
      "۰۹۱۲‌۱۲۳‌۴۵۶۷",
    ]
  ) assertEquals(normalizePhone(typed), "+989121234567", typed);
});

Deno.test("[phone] property — any typing of a mobile number normalises to its E.164 form, and that is a fixed point", () => {
  fc.assert(fc.property(typedMobile, ([typed, e164]) => {
    assertEquals(normalizePhone(typed), e164, JSON.stringify(typed));
    assertEquals(normalizePhone(e164), e164);
  }));
});

Deno.test("[phone] property — landlines, foreign numbers, wrong lengths and letters are refused", () => {
  fc.assert(fc.property(notAMobile, (typed) => {
    assertEquals(normalizePhone(typed), undefined, JSON.stringify(typed));
  }));
});

Deno.test("[phone] property — every typing of an Iranian mobile reaches Auth as the same E.164", () => {
  fc.assert(fc.property(typedMobile, ([typed, e164]) => {
    assertEquals(mobileNumber(typed), { ok: true, e164 }, JSON.stringify(typed));
    assertEquals(mobileField.parse(typed), e164);
  }));
});

Deno.test("[phone] property — other countries' numbers in international form are accepted as E.164", () => {
  fc.assert(fc.property(foreignMobile, ([typed, e164]) => {
    assertEquals(mobileNumber(typed), { ok: true, e164 }, JSON.stringify(typed));
  }));
});

Deno.test("[phone] property — an Iranian landline is refused as not a mobile, with its own field error", () => {
  fc.assert(fc.property(iranianLandline, (typed) => {
    assertEquals(mobileNumber(typed), { ok: false, problem: "not_mobile" }, JSON.stringify(typed));
    assertEquals(mobileField.safeParse(typed).error?.issues[0].message, "form.error.phoneNotMobile");
  }));
});

Deno.test("[phone] invalid text is a clear field error; blank is required", () => {
  for (
    const typed of ["0912", "091212345678", "0912abc4567", "+98+9121234567", "12ab", "+0123456789", "hello"]
  ) {
    assertEquals(mobileNumber(typed), { ok: false, problem: "invalid" }, typed);
    assertEquals(mobileField.safeParse(typed).error?.issues[0].message, "form.error.phoneInvalid", typed);
  }
  assertEquals(mobileField.safeParse("  ").error?.issues[0].message, "form.error.required");
});

Deno.test("[phone] masked for the transfer confirmation as 0912•••4567; shown to its owner as 0912 123 4567", () => {
  assertEquals(maskPhone("+989121234567"), "0912•••4567");
  assertEquals(maskPhone("989121234567"), "0912•••4567");
  assertEquals(maskPhone("+447911123456"), "+447•••3456");
  assertEquals(maskPhone("nonsense"), "***");
  assertEquals(displayPhone("+989121234567"), "0912 123 4567");
  assertEquals(displayPhone("+447911123456"), "+447911123456");
});
