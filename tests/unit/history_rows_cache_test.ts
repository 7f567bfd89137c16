/**
 * The wallet history's rows are rendered once and then taken from a bounded cache (components/ui/html_cache.ts,
 * EntriesTable's historyRows): a repeated page renders no row again, a cached row is exactly the markup
 * rendering gives, and any input that changes a row's HTML (counterparty name or handle, note, amount, kind,
 * time, receipt link, locale) is in its key.
 */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import fc from "fast-check";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { EntriesTable, historyRowKey, historyRows } from "../../components/wallet/EntriesTable.tsx";
import { type Column, DataTable } from "../../components/ui/DataTable.tsx";
import { HtmlCache } from "../../components/ui/html_cache.ts";
import { type Locale, translate } from "../../lib/i18n/mod.ts";
import type { LedgerEntry } from "../../lib/wallet/entries.ts";
import type { Counterparty } from "../../lib/wallet/counterparties.ts";

const tFor =
  (locale: Locale) => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(locale, key, params);

function entry(n: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    transactionId: String(1000 + n),
    leg: 1,
    kind: "transfer",
    amount: BigInt((n % 2 ? -1 : 1) * (12_340 + n)),
    createdAt: new Date(Date.UTC(2026, 10, 29, 10, n)),
    metadata: n % 3 === 0 ? { note: `note ${n}` } : {},
    reverses: null,
    ...over,
  };
}

function table(
  locale: Locale,
  entries: LedgerEntry[],
  counterparties = new Map<string, Counterparty>(),
  receipt = "/wallet/receipts/",
): string {
  return renderToString(
    h(EntriesTable, {
      t: tFor(locale),
      locale,
      entries,
      caption: "history",
      counterparties,
      receiptHref: (id: string) => `${receipt}${id}`,
    }),
  );
}

Deno.test("[history rows] a page shown again renders none of its 20 rows again", () => {
  historyRows.clear();
  const rows = Array.from({ length: 20 }, (_, n) => entry(n));
  const before = historyRows.rendered;
  const first = table("fa", rows);
  assertEquals(historyRows.rendered - before, 20);
  const reusedBefore = historyRows.reused;
  const second = table("fa", rows);
  assertEquals(historyRows.rendered - before, 20, "the second page rendered rows again");
  assertEquals(historyRows.reused - reusedBefore, 20);
  assertEquals(second, first);
});

Deno.test("[history rows] a changed input gives the changed row, never the cached one", () => {
  historyRows.clear();
  const who: Counterparty = { userId: "u1", name: "Reza", masked: "r***@x.ir" };
  const base = entry(3);
  const cp = (c: Counterparty) => new Map([[base.transactionId, c]]);
  const shown = table("en", [base], cp(who));
  assert(shown.includes("Reza") && shown.includes("note 3"));
  const renamed = table("en", [base], cp({ ...who, name: "Sara" }));
  assert(renamed.includes("Sara") && !renamed.includes("Reza"), "a renamed counterparty shows its new name");
  assert(table("en", [base], cp({ ...who, masked: "s***@y.ir" })).includes("s***@y.ir"));
  assert(table("en", [base], cp({ ...who, userId: "u2" })).includes(`data-counterparty="u2"`));
  assert(table("en", [{ ...base, metadata: { note: "rent" } }], cp(who)).includes("rent"));
  assert(table("en", [{ ...base, amount: 99_990n }], cp(who)).includes("9,999"));
  assert(table("en", [{ ...base, kind: "topup" }], cp(who)).includes(translate("en", "wallet.kind.topup")));
  assert(
    table("en", [base], cp(who), "/admin/wallets/x/receipts/").includes("/admin/wallets/x/receipts/1003"),
  );
  assertNotEquals(table("en", [{ ...base, createdAt: new Date(Date.UTC(2025, 0, 1)) }], cp(who)), shown);
  assertNotEquals(table("fa", [base], cp(who)), shown);
  assertEquals(table("en", [base], cp(who)), shown, "and the first row again, from the cache");
});

/** The same table with and without the row cache: its HTML must not tell them apart. */
Deno.test("[history rows] a row from the cache is exactly the row the table renders inline", () => {
  const text = fc.string({ unit: "grapheme", maxLength: 12 });
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          a: text,
          b: fc.bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n }),
          c: fc.boolean(),
        }),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
      (rows) => {
        const columns: Column<typeof rows[number]>[] = [
          { header: "A", cell: (r) => h("bdi", { dir: "auto" }, r.a) },
          { header: "B", numeric: true, cell: (r) => String(r.b) },
          {
            header: h("span", null, "C"),
            class: "c",
            cell: (r) => r.c && h("a", { href: `/x?${r.a}` }, "x"),
          },
        ];
        const props = {
          columns,
          rows,
          empty: "none",
          caption: "c",
          rowAttributes: (r: typeof rows[number]) => ({ "data-a": r.a }),
        };
        const cache = new HtmlCache(100);
        const inline = renderToString(h(DataTable<typeof rows[number]>, props));
        const key = (r: typeof rows[number]) => JSON.stringify([r.a, String(r.b), r.c]);
        const cold = renderToString(
          h(DataTable<typeof rows[number]>, { ...props, rowCache: { cache, key } }),
        );
        const warm = renderToString(
          h(DataTable<typeof rows[number]>, { ...props, rowCache: { cache, key } }),
        );
        assertEquals(cold, inline);
        assertEquals(warm, inline);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("[history rows] the key holds every field, and user text cannot make two rows' keys equal", () => {
  const row = {
    transactionId: "7",
    kind: "transfer" as const,
    amount: -5n,
    createdAt: new Date(0),
    note: "a",
    counterparty: { userId: "u", name: "n", masked: "m" },
    receiptHref: "/r/7",
  };
  const key = historyRowKey("en", row);
  const changed = [
    { ...row, transactionId: "8" },
    { ...row, kind: "topup" as const },
    { ...row, amount: 5n },
    { ...row, createdAt: new Date(1) },
    { ...row, note: null },
    { ...row, note: "" },
    { ...row, counterparty: undefined },
    { ...row, counterparty: { ...row.counterparty, userId: "v" } },
    { ...row, counterparty: { ...row.counterparty, name: "n2" } },
    { ...row, counterparty: { ...row.counterparty, masked: "m2" } },
    { ...row, receiptHref: undefined },
    // Separators inside user text: the name "n\",\"m" must not read as the name "n" and the handle "m".
    { ...row, counterparty: { userId: "u", name: 'n","m', masked: "" } },
  ];
  const keys = new Set([key, historyRowKey("fa", row), ...changed.map((r) => historyRowKey("en", r))]);
  assertEquals(keys.size, changed.length + 2);
});

Deno.test("[history rows] the cache is bounded and drops the least recently used row first", () => {
  const cache = new HtmlCache(3);
  for (const k of ["a", "b", "c"]) cache.get(k, () => k.toUpperCase());
  cache.get("a", () => "never"); // a is now the most recently used
  cache.get("d", () => "D"); // drops b
  assertEquals(cache.size, 3);
  assertEquals(cache.get("a", () => "again"), "A");
  assertEquals(cache.get("b", () => "B2"), "B2", "b was dropped and rendered again");
  for (let i = 0; i < 1000; i++) cache.get(`k${i}`, () => "x");
  assertEquals(cache.size, 3);
});
