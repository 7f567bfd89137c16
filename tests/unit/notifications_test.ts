import { assert, assertEquals } from "@std/assert";
import twilio from "twilio";
import { FIRST_RETRY_MS, JITTER, retryDelayMs } from "../../lib/notifications/backoff.ts";
import {
  formatToman,
  localizedData,
  renderTemplate,
  templateVariables,
} from "../../lib/notifications/render.ts";
import { smsLength } from "../../lib/notifications/segments.ts";
import { routeFor } from "../../lib/notifications/routing.ts";
import { signSvix, signTwilio, verifySvix, verifyTwilio } from "../../lib/notifications/signatures.ts";

Deno.test("[notifications] backoff — 10 s, doubling, within ±20 %; the middle of the jitter is exact", () => {
  for (let attempt = 1; attempt <= 7; attempt++) {
    const base = FIRST_RETRY_MS * 2 ** (attempt - 1);
    assertEquals(retryDelayMs(attempt, () => 0.5), base);
    assertEquals(retryDelayMs(attempt, () => 0), Math.round(base * (1 - JITTER)));
    assertEquals(retryDelayMs(attempt, () => 0.999999), Math.round(base * (1 + JITTER * 0.999998)));
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(attempt);
      assert(d >= base * 0.8 && d <= base * 1.2, `${d} outside ±20 % of ${base}`);
    }
  }
  assertEquals(retryDelayMs(1, () => 0.5), 10_000);
  assertEquals(retryDelayMs(2, () => 0.5), 20_000);
  assertEquals(retryDelayMs(7, () => 0.5), 640_000);
});

Deno.test("[notifications] segments — GSM-7 160/153 (extension characters count twice), Persian UCS-2 70/67", () => {
  assertEquals(smsLength("a".repeat(160)), { encoding: "GSM-7", units: 160, segments: 1, perSegment: 160 });
  assertEquals(smsLength("a".repeat(161)).segments, 2);
  assertEquals(smsLength("a".repeat(306)).segments, 2);
  assertEquals(smsLength("a".repeat(307)).segments, 3);
  assertEquals(smsLength("€".repeat(80)), { encoding: "GSM-7", units: 160, segments: 1, perSegment: 160 });
  assertEquals(smsLength("س".repeat(70)), { encoding: "UCS-2", units: 70, segments: 1, perSegment: 70 });
  assertEquals(smsLength("س".repeat(71)), { encoding: "UCS-2", units: 71, segments: 2, perSegment: 67 });
  assertEquals(smsLength("س".repeat(134)).segments, 2);
  assertEquals(smsLength("س".repeat(135)).segments, 3);
  // One Persian letter turns the whole message into UCS-2; an emoji counts as two units.
  assertEquals(smsLength(`${"a".repeat(69)}ک`).encoding, "UCS-2");
  assertEquals(smsLength("😀".repeat(35)), { encoding: "UCS-2", units: 70, segments: 1, perSegment: 70 });
  assertEquals(smsLength("").segments, 0);
});

Deno.test("[notifications] rendering — fa with Persian digits and tomans, en grouped, unknown variables empty", () => {
  assertEquals(formatToman("1250000", "fa"), "۱۲۵٬۰۰۰");
  assertEquals(formatToman("1250000", "en"), "125,000");
  assertEquals(formatToman("9", "en"), "0");
  assertEquals(formatToman("-123450", "fa"), "−۱۲٬۳۴۵");
  assertEquals(formatToman("abc", "fa"), "abc");
  const data = { amount: "50000", sender: "Ali" };
  assertEquals(
    renderTemplate("{{amount|toman}} تومان از {{sender}} به کیف پول شما رسید.", data, "fa"),
    "۵٬۰۰۰ تومان از Ali به کیف پول شما رسید.",
  );
  assertEquals(
    renderTemplate("{{ amount | toman }} tomans from {{sender}}{{missing}}.", data, "en"),
    "5,000 tomans from Ali.",
  );
  assertEquals(templateVariables("{{a}} {{ b|toman }} {c}"), ["a", "b"]);
  assertEquals(
    localizedData({ x: 1, by_locale: { fa: { body: "سلام" }, en: { body: "Hello" } } }, "fa"),
    { x: 1, body: "سلام" },
  );
});

Deno.test("[notifications] routing — +98 never goes to Twilio (SMS or WhatsApp); email Resend then SMTP", () => {
  assertEquals(routeFor("sms", "+989121234567"), { channel: "sms", providers: ["kavenegar", "smsir"] });
  assertEquals(routeFor("whatsapp", "+989121234567"), { channel: "sms", providers: ["kavenegar", "smsir"] });
  assertEquals(routeFor("sms", "+14155550100"), { channel: "sms", providers: ["twilio"] });
  assertEquals(routeFor("whatsapp", "+14155550100"), { channel: "whatsapp", providers: ["twilio"] });
  assertEquals(routeFor("email", "a@b.c"), { channel: "email", providers: ["resend", "smtp"] });
});

Deno.test("[notifications] signatures — Svix and Twilio round-trip; a changed body, URL or old timestamp fails", async () => {
  const secret = `whsec_${btoa("a-test-secret-key-of-some-length")}`;
  const now = 1_800_000_000;
  const sig = await signSvix(secret, "msg_1", now, "{}");
  assert(
    await verifySvix(
      secret,
      { id: "msg_1", timestamp: String(now), signature: `v1,bogus ${sig}` },
      "{}",
      now,
    ),
  );
  assert(!await verifySvix(secret, { id: "msg_1", timestamp: String(now), signature: sig }, "{ }", now));
  assert(!await verifySvix(secret, { id: "msg_1", timestamp: String(now), signature: sig }, "{}", now + 301));
  const params = new URLSearchParams({ MessageSid: "SM1", MessageStatus: "delivered" });
  const url = "https://example.com/functions/v1/notifications-webhook/twilio?outbox_id=7";
  const tw = await signTwilio("token", url, params);
  assert(await verifyTwilio("token", url, params, tw));
  assert(!await verifyTwilio("token", url.replace("7", "8"), params, tw));
  assert(!await verifyTwilio("other", url, params, tw));
  // The official SDK's validator accepts what we sign (and so our verifier agrees with it).
  const example = {
    CallSid: "CA1234567890ABCDE",
    Caller: "+12349013030",
    Digits: "1234",
    To: "+18005551212",
  };
  const exampleUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const ours = await signTwilio("12345", exampleUrl, new URLSearchParams(example));
  assert(twilio.validateRequest("12345", ours, exampleUrl, example));
  assert(!twilio.validateRequest("12345", ours, exampleUrl, { ...example, Digits: "9" }));
});
