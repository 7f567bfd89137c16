import { assertEquals } from "@std/assert";
import fc from "fast-check";
import { parseCalendarDay, persianDayText } from "../../lib/i18n/calendar_date.ts";

Deno.test("[calendar] known days — Nowruz and today, in Persian or Latin digits, either separator", () => {
  assertEquals(parseCalendarDay("1403/01/01"), "2024-03-20");
  assertEquals(parseCalendarDay("۱۴۰۴/۰۱/۰۱"), "2025-03-21");
  assertEquals(parseCalendarDay(" ۱۴۰۵-۹-۳ "), "2026-11-24");
  assertEquals(parseCalendarDay("2026-11-24"), "2026-11-24");
  assertEquals(persianDayText("2026-11-24"), "۱۴۰۵/۰۹/۰۳");
});

Deno.test("[calendar] no such day — refused rather than rolled over", () => {
  for (
    const text of [
      "1405/12/31",
      "1405/13/01",
      "2026-02-29",
      "2026-13-01",
      "1800-01-01",
      "05/09/03",
      "tomorrow",
      "",
    ]
  ) {
    assertEquals(parseCalendarDay(text), undefined, text);
  }
  assertEquals(parseCalendarDay("1403/12/30"), "2025-03-20"); // 1403 is a leap year
});

/**
 * The Persian date by the platform's own calendar (ICU), independent of lib/. ICU and jalaali-js first part
 * on a Nowruz in 2124, so the property stops at 2100.
 */
function icuPersian(isoDay: string): string {
  const parts = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
    timeZone: "UTC",
    year: "numeric",
    month: "numeric",
    day: "numeric",
  }).formatToParts(new Date(`${isoDay}T12:00:00Z`));
  const part = (type: string) => parts.find((p) => p.type === type)!.value.padStart(2, "0");
  return `${parseInt(part("year"))}/${part("month")}/${part("day")}`;
}

Deno.test("[calendar] property — agrees with ICU's Persian calendar (which the pages print) and round-trips, 1950..2100", () => {
  const day = fc.integer({ min: Date.UTC(1950, 0, 1) / 864e5, max: Date.UTC(2100, 11, 31) / 864e5 })
    .map((n) => new Date(n * 864e5).toISOString().slice(0, 10));
  fc.assert(
    fc.property(day, (iso) => {
      const persian = persianDayText(iso);
      assertEquals(persian.replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d))), icuPersian(iso));
      assertEquals(parseCalendarDay(persian), iso);
    }),
    { numRuns: 500 },
  );
});
