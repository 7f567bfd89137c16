/** The notification center's pure rules: which channels a user may choose, links kept on site, template previews. */
import { assertEquals } from "@std/assert";
import { channelUnavailable } from "../../lib/notifications/preferences.ts";
import { safeLink } from "../../lib/notifications/inbox.ts";
import { previewTemplate } from "../../lib/notifications/preview.ts";

Deno.test("[notification center] SMS needs a verified phone; WhatsApp never for +98", () => {
  assertEquals(channelUnavailable("sms", null), "no_verified_phone");
  assertEquals(channelUnavailable("whatsapp", null), "no_verified_phone");
  assertEquals(channelUnavailable("sms", "+989121234567"), null);
  assertEquals(channelUnavailable("whatsapp", "+989121234567"), "whatsapp_iran");
  assertEquals(channelUnavailable("whatsapp", "+4915112345678"), null);
  assertEquals(channelUnavailable("email", null), null);
  assertEquals(channelUnavailable("in_app", null), null);
});

Deno.test("[notification center] links stay on this site", () => {
  assertEquals(safeLink("/tickets/12"), "/tickets/12");
  assertEquals(safeLink("//evil.example/x"), null);
  assertEquals(safeLink("/\\evil.example"), null);
  assertEquals(safeLink("https://evil.example"), null);
  assertEquals(safeLink("javascript:alert(1)"), null);
  assertEquals(safeLink(null), null);
});

Deno.test("[notification center] a template preview names unknown variables and counts SMS segments", () => {
  const fa = previewTemplate(
    { subject: "", body: "{{amount|toman}} از {{sender}} {{oops}}" },
    [
      "amount",
      "sender",
    ],
    "sms",
    "fa",
  );
  assertEquals(fa.unknown, ["oops"]);
  assertEquals(fa.body, "۱٬۲۵۰٬۰۰۰ از Maryam Ahmadi ");
  assertEquals(fa.sms?.encoding, "UCS-2");
  assertEquals(fa.sms?.segments, 1);
  const en = previewTemplate(
    { subject: "Paid {{amount|toman}}", body: "x".repeat(161) },
    ["amount"],
    "sms",
    "en",
  );
  assertEquals(en.subject, "Paid 1,250,000");
  assertEquals(en.sms, { encoding: "GSM-7", units: 161, segments: 2, perSegment: 153 });
  assertEquals(previewTemplate({ subject: "", body: "hi" }, [], "email", "en").sms, undefined);
});
