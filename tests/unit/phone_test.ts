import { assertEquals } from "@std/assert";
import fc from "fast-check";
import { maskPhone, normalizePhone } from "../../lib/users/phone.ts";
import { phoneField } from "../../lib/auth/fields.ts";
import { notAMobile, typedMobile } from "../_support/phones.ts";

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

Deno.test("[phone] the profile field stores E.164 and names the field error otherwise", () => {
  assertEquals(phoneField.parse("0912 123 4567"), "+989121234567");
  assertEquals(phoneField.parse("  "), null);
  assertEquals(phoneField.safeParse("021 1234 5678").error?.issues[0].message, "form.error.phone");
});

Deno.test("[phone] masked for the transfer confirmation: the operator and the last four digits", () => {
  assertEquals(maskPhone("+989121234567"), "+98 912 *** 4567");
  assertEquals(maskPhone("989121234567"), "+98 912 *** 4567");
  assertEquals(maskPhone("nonsense"), "***");
});
