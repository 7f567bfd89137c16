import { assert, assertEquals } from "@std/assert";
import { formatDate, formatNumber, formatRial, formatToman } from "../../lib/i18n/format.ts";

/** Counts constructions of Intl.NumberFormat and Intl.DateTimeFormat while `fn` runs. */
function constructions(fn: () => void): number {
  const { NumberFormat, DateTimeFormat } = Intl;
  let made = 0;
  const counting = <T extends new (...args: never[]) => object>(Real: T) =>
    new Proxy(Real, {
      construct(target, args) {
        made++;
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        made++;
        return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, self, args);
      },
    });
  Intl.NumberFormat = counting(NumberFormat);
  Intl.DateTimeFormat = counting(DateTimeFormat);
  try {
    fn();
  } finally {
    Intl.NumberFormat = NumberFormat;
    Intl.DateTimeFormat = DateTimeFormat;
  }
  return made;
}

Deno.test("[format] a page's amounts and dates reuse their Intl formatters instead of building one per call", () => {
  const page = () => {
    for (let i = 0; i < 50; i++) {
      for (const locale of ["fa", "en"] as const) {
        formatToman(BigInt(i * 12_345), locale);
        formatToman(BigInt(i * 10 + 5), locale);
        formatRial(BigInt(i), locale);
        formatNumber(i, locale);
        formatDate(new Date(Date.UTC(2026, 10, 1 + (i % 28))), locale);
        formatDate(new Date(Date.UTC(2026, 10, 1 + (i % 28))), locale, { time: true });
      }
    }
  };
  page(); // the first page builds what it needs
  assertEquals(constructions(page), 0, "a second page builds no formatter");
  // And the cached formatters say the same as fresh ones.
  const when = new Date(Date.UTC(2026, 10, 24, 8, 30));
  assertEquals(formatToman(125_000n, "fa"), "۱۲٬۵۰۰ تومان");
  assertEquals(formatToman(125_005n, "en"), "12,501 tomans"); // whole tomans, a half rounds away from zero
  assertEquals(
    formatDate(when, "fa", { time: true }),
    new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
      timeZone: "Asia/Tehran",
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(when),
  );
});

Deno.test("[format] no component, island, route or lib module builds its own Intl number or date formatter", async () => {
  const offenders: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (/\.tsx?$/.test(entry.name) && path !== "lib/i18n/format.ts") {
        const text = await Deno.readTextFile(path);
        if (/new Intl\.(NumberFormat|DateTimeFormat)\b/.test(text)) offenders.push(path);
      }
    }
  };
  for (const dir of ["lib", "components", "islands", "routes", "functions"]) await walk(dir);
  assert(
    offenders.length === 0,
    `use numberFormat/dateTimeFormat from lib/i18n/format.ts in ${offenders.join(", ")}`,
  );
});
