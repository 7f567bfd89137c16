import { assertEquals, assertMatch } from "@std/assert";
import { en } from "../../lib/i18n/en.ts";
import { fa } from "../../lib/i18n/fa.ts";
import { fromAcceptLanguage, negotiateLocale, translate } from "../../lib/i18n/mod.ts";
import { formatDate, formatToman } from "../../lib/i18n/format.ts";

Deno.test("[i18n] catalogs — fa and en have exactly the same keys and placeholders", () => {
  assertEquals(Object.keys(fa).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    assertEquals(placeholders(fa[key]), placeholders(en[key]), `placeholders of ${key}`);
    assertMatch(fa[key], /\S/, `fa ${key} is empty`);
  }
});

Deno.test("[i18n] negotiation — the cookie wins over Accept-Language", () => {
  assertEquals(negotiateLocale("en", "fa-IR,fa;q=0.9"), "en");
  assertEquals(negotiateLocale("fa", "en-US"), "fa");
});

Deno.test("[i18n] negotiation — Accept-Language is ranked by q-value and falls back to Persian", () => {
  assertEquals(fromAcceptLanguage("de-DE,en;q=0.8,fa;q=0.9"), "fa");
  assertEquals(fromAcceptLanguage("en-GB,en;q=0.9"), "en");
  assertEquals(fromAcceptLanguage("fa;q=0,en;q=0.1"), "en");
  assertEquals(negotiateLocale(undefined, "de-DE"), "fa");
  assertEquals(negotiateLocale("xx", null), "fa");
});

Deno.test("[i18n] translate — fills named placeholders", () => {
  assertEquals(translate("en", "home.preview.rials", { rials: "1,000" }), "On the wire: 1,000 rials");
});

Deno.test("[format] money — rials are shown as tomans, with Persian digits in fa", () => {
  assertEquals(formatToman(1_250_000n, "fa"), "۱۲۵٬۰۰۰ تومان");
  assertEquals(formatToman(1_250_000n, "en"), "125,000 tomans");
  assertEquals(formatToman(10n, "en"), "1 toman");
  assertEquals(formatToman(15n, "en"), "1.5 tomans");
});

Deno.test("[format] dates — Persian calendar in Tehran time for fa, Gregorian for en", () => {
  const date = new Date("2026-03-20T21:00:00Z"); // 00:30 on 1 Farvardin 1405 in Tehran
  assertMatch(formatDate(date, "fa"), /۱ فروردین ۱۴۰۵/);
  assertEquals(formatDate(date, "en"), "21 March 2026");
});
