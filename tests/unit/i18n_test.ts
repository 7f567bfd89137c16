import { assert, assertEquals, assertMatch } from "@std/assert";
import { en, enByDomain } from "../../lib/i18n/en.ts";
import { fa, faByDomain } from "../../lib/i18n/fa.ts";
import { fromAcceptLanguage, negotiateLocale, translate } from "../../lib/i18n/mod.ts";
import {
  formatDate,
  formatId,
  formatNumber,
  formatRial,
  formatToman,
  roundedTomans,
} from "../../lib/i18n/format.ts";

const ROOT = new URL("../../", import.meta.url);

/** Every .ts/.tsx file under `dir` (relative to the repository root), as repository-relative paths. */
function sourceFiles(dir: string, pattern = /\.tsx?$/): string[] {
  const url = new URL(dir, ROOT);
  if (!Deno.statSync(url).isDirectory) return [dir];
  return [...Deno.readDirSync(url)].flatMap((entry) => {
    const path = `${dir.replace(/\/$/, "")}/${entry.name}`;
    if (entry.isDirectory) return sourceFiles(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}
const read = (paths: string[]) => paths.map((path) => Deno.readTextFileSync(new URL(path, ROOT))).join("\n");

/** The catalogue itself: the domains' message files and the two collectors. Never counts as a use. */
const isCatalogue = (path: string) =>
  /\/messages\.(en|fa)\.ts$/.test(path) || /^lib\/i18n\/(en|fa)\.ts$/.test(path);
/** The application's source, where a message key is used. */
const SOURCE = read(
  ["main.ts", "routes", "components", "islands", "lib", "functions"].flatMap((dir) => sourceFiles(dir))
    .filter((path) => !isCatalogue(path)),
);
/**
 * Where the values behind dynamic keys live: the source, the schema (enums, check constraints, audit actions) and
 * Zarinpal's result-code table (the codes reach us over the wire; the local fake gateway keeps the published list).
 */
const VALUES = SOURCE + read(sourceFiles("supabase/migrations", /\.sql$/)) +
  read(["local/zarinpal/codes.ts"]);

/**
 * Keys built at run time. `site` is the template that builds them (it must still occur in the source, so a
 * rule cannot outlive its code); `key` matches the keys it can build, its group being the run-time part. A
 * matching key counts as used only if that part occurs in VALUES as a whole token (a code, status or name).
 */
const DYNAMIC: { site: string; key: RegExp }[] = [
  // routes/wallet/_errors.ts: a refused wallet operation's WalletError code (lib/wallet/errors.ts).
  { site: "`wallet.error.${error.code}`", key: /^wallet\.error\.(\w+)$/ },
  // lib/errors.ts: the message key of a refusal, by its code.
  { site: "`api.error.${this.code}`", key: /^api\.error\.(\w+)$/ },
  // Role names: admin pages and the role select.
  { site: "`role.${", key: /^role\.(\w+)$/ },
  // Payment status badges and filters.
  { site: "`payments.status.${", key: /^payments\.status\.(\w+)$/ },
  // The admin payment page's ?error= (a PaymentError code).
  { site: "`payments.error.${error}`", key: /^payments\.error\.(\w+)$/ },
  // routes/payments/_parts.tsx: Zarinpal's result code, e.g. -51.
  { site: "`payments.code.${code}`", key: /^payments\.code\.(-?\d+)$/ },
  // The admin payment page's ?notice= (a confirm outcome, or refund_<status>).
  { site: "`admin.payments.notice.${notice}`", key: /^admin\.payments\.notice\.(\w+)$/ },
  // A refund's status on the admin payment page.
  { site: "`admin.payments.refundStatus.${", key: /^admin\.payments\.refundStatus\.(\w+)$/ },
  // The admin user page's ?notice=.
  { site: "`admin.user.notice.${notice}`", key: /^admin\.user\.notice\.(\w+)$/ },
  // The staff wallet and approvals pages' ?notice= (adjusted, requested, approved, rejected).
  { site: "`admin.wallets.notice.${", key: /^admin\.wallets\.notice\.(\w+)$/ },
  // The admin withdrawals page's ?notice=.
  { site: "`admin.withdrawals.notice.${", key: /^admin\.withdrawals\.notice\.(\w+)$/ },
  // Suspension durations (BAN_DURATIONS in lib/users/admin.ts).
  { site: "`admin.ban.${d}`", key: /^admin\.ban\.(\w+)$/ },
  // A withdrawal's status badge and the admin status filter.
  { site: "`wallet.withdrawals.status.${", key: /^wallet\.withdrawals\.status\.(\w+)$/ },
  // The customer withdrawals page's ?notice=.
  { site: "`wallet.withdrawals.notice.${notice}`", key: /^wallet\.withdrawals\.notice\.(\w+)$/ },
  // A ledger entry's kind (history table, filter, CSV export).
  { site: "`wallet.kind.${", key: /^wallet\.kind\.(\w+)$/ },
  // System ledger accounts on the ledger-health page.
  { site: "`ledger.account.${a.code}`", key: /^ledger\.account\.(\w+)$/ },
  // An audit entry's action, e.g. users.ban.
  { site: "`audit.action.${action}`", key: /^audit\.action\.(\w+\.\w+)$/ },
  // lib/auth/notices.ts: an AuthProblem.
  { site: "`auth.problem.${problem}`", key: /^auth\.problem\.(\w+)$/ },
  // /auth/sent?kind=.
  { site: "`auth.sent.body.${kind}`", key: /^auth\.sent\.body\.(\w+)$/ },
  // routes/auth/_email_link_route.tsx: one page per email-link flow (forgot, magic).
  { site: "`auth.${name}.title`", key: /^auth\.(\w+)\.(?:title|lead|submit)$/ },
  // routes/index.tsx: the home page's feature cards.
  { site: "`home.feature.${name}.title`", key: /^home\.feature\.(\w+)\.(?:title|body)$/ },
  // components/tickets/staff: ticket statuses, priorities, saved filters and the notices after a redirect.
  { site: "`tickets.staff.status.${", key: /^tickets\.staff\.status\.(\w+)$/ },
  { site: "`tickets.staff.priority.${", key: /^tickets\.staff\.priority\.(\w+)$/ },
  { site: "`tickets.staff.filter.${", key: /^tickets\.staff\.filter\.(\w+)$/ },
  { site: "`tickets.staff.notice.${", key: /^tickets\.staff\.notice\.(\w+)$/ },
  { site: "`tickets.staff.canned.${notice}`", key: /^tickets\.staff\.canned\.(created|deleted)$/ },
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const occursAsToken = (text: string, corpus: string) =>
  new RegExp(`(?<![\\w.-])${escape(text)}(?![\\w-])`).test(corpus);

/** Keys of `catalogue` used nowhere: neither as a string literal in the source nor through a DYNAMIC rule. */
function unusedKeys(catalogue: Record<string, string>): string[] {
  return Object.keys(catalogue).filter((key) => {
    if (['"', "'", "`"].some((quote) => SOURCE.includes(`${quote}${key}${quote}`))) return false;
    const part = DYNAMIC.map((rule) => rule.key.exec(key)?.[1]).find((found) => found !== undefined);
    return part === undefined || !occursAsToken(part, VALUES);
  });
}

Deno.test("[i18n] catalogs — each domain's fa and en files have exactly the same keys and placeholders", () => {
  assertEquals(Object.keys(faByDomain).sort(), Object.keys(enByDomain).sort());
  for (const [domain, english] of Object.entries(enByDomain) as [string, Record<string, string>][]) {
    const persian = faByDomain[domain as keyof typeof faByDomain];
    assertEquals(Object.keys(persian).sort(), Object.keys(english).sort(), `keys of ${domain}`);
    for (const key of Object.keys(english)) {
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      assertEquals(placeholders(persian[key]), placeholders(english[key]), `placeholders of ${key}`);
      assertMatch(persian[key], /\S/, `fa ${key} is empty`);
      assertMatch(english[key], /\S/, `en ${key} is empty`);
    }
  }
  assertEquals(Object.keys(fa).sort(), Object.keys(en).sort());
});

Deno.test("[i18n] catalogs — no key is defined by two domains", () => {
  const owners = new Map<string, string[]>();
  for (const [domain, messages] of Object.entries(enByDomain)) {
    for (const key of Object.keys(messages)) owners.set(key, [...owners.get(key) ?? [], domain]);
  }
  const twice = [...owners].filter(([, domains]) => domains.length > 1).map(([key, d]) =>
    `${key} (${d.join(", ")})`
  );
  assertEquals(twice, []);
  assertEquals(Object.keys(en).length, owners.size);
});

Deno.test("[i18n] catalogs — every key is used in the source, literally or through a listed dynamic prefix", () => {
  for (const rule of DYNAMIC) {
    assert(SOURCE.includes(rule.site), `no code builds keys like ${rule.site} any more`);
  }
  assertEquals(unusedKeys(en), []);
});

Deno.test("[i18n] catalogs — the unused-key check catches a key nothing uses", () => {
  assertEquals(
    unusedKeys({ "wallet.column.nothingUsesThis": "x", "wallet.kind.nothing_has_this_kind": "x" }),
    [
      "wallet.column.nothingUsesThis",
      "wallet.kind.nothing_has_this_kind",
    ],
  );
  assertEquals(unusedKeys({ "wallet.kind.topup": "x", "nav.home": "x" }), []);
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
});

Deno.test("[format] money — whole tomans: the nearest, a half toman rounds away from zero", () => {
  assertEquals(formatToman(15n, "en"), "2 tomans");
  assertEquals(formatToman(14n, "en"), "1 toman");
  assertEquals(formatToman(12_345n, "en"), "1,235 tomans");
  assertEquals(formatToman(12_344n, "fa"), "۱٬۲۳۴ تومان");
  assertEquals(roundedTomans(-15n), -2n);
  assertEquals(roundedTomans(-14n), -1n);
  assertEquals(roundedTomans(4n), 0n);
});

Deno.test("[format] dates — Persian calendar in Tehran time for fa, Gregorian for en", () => {
  const date = new Date("2026-03-20T21:00:00Z"); // 00:30 on 1 Farvardin 1405 in Tehran
  assertMatch(formatDate(date, "fa"), /۱ فروردین ۱۴۰۵/);
  assertEquals(formatDate(date, "en"), "21 March 2026");
});

Deno.test("[i18n] catalogs — no fa string writes a number in Latin digits (placeholders are filled formatted)", () => {
  const latin = Object.entries(fa).filter(([, text]) => /[0-9]/.test(text.replace(/\{\w+\}/g, "")))
    .map(([key, text]) => `${key}: ${text}`);
  assertEquals(latin, []);
  // And the digits a Persian reader sees are Persian ones: the formatters write them.
  assertEquals(formatNumber(1234567n, "fa"), "۱٬۲۳۴٬۵۶۷");
  assertEquals(formatId("1234567", "fa"), "۱۲۳۴۵۶۷");
  assertEquals(formatId("1234567", "en"), "1234567");
  assertEquals(formatRial(100_000n, "fa"), "۱۰۰٬۰۰۰ ریال");
});

/** The glossary's table (docs/glossary.md): the words each language must never use. */
function glossaryBans(): { idea: string; fa: string[]; en: string[] }[] {
  const text = Deno.readTextFileSync(new URL("docs/glossary.md", ROOT));
  const rows = text.split("\n").filter((line) => line.startsWith("| ") && !/^\| (idea|-)/.test(line));
  return rows.map((row) => row.split("|").slice(1, -1).map((cell) => cell.trim()))
    .map(([idea, , , neverFa, neverEn]) => ({
      idea,
      fa: neverFa ? neverFa.split(" / ") : [],
      en: neverEn ? neverEn.split(" / ") : [],
    }));
}

Deno.test("[i18n] glossary — one word per idea: no catalogue string uses a word the glossary bans", () => {
  const bans = glossaryBans();
  assert(bans.some((b) => b.idea === "the brand" && b.fa.includes("Pishkhan")), "the table was read");
  const misuses: string[] = [];
  for (const [language, catalogue] of [["fa", fa], ["en", en]] as const) {
    for (const { idea, ...never } of bans) {
      for (const word of never[language]) {
        for (const [key, text] of Object.entries(catalogue)) {
          if (text.toLowerCase().includes(word.toLowerCase())) {
            misuses.push(`${language} ${key} (${idea}): ${word}`);
          }
        }
      }
    }
  }
  assertEquals(misuses, []);
  // The filter forms' buttons say the same word.
  for (
    const key of [
      "wallet.filter.apply",
      "admin.audit.filter",
      "tickets.list.filter",
      "tickets.staff.apply",
    ] as const
  ) {
    assertEquals([fa[key], en[key]], ["فیلتر", "Filter"], key);
  }
  for (const key of ["wallet.filter.clear", "admin.audit.clear", "tickets.list.clear"] as const) {
    assertEquals([fa[key], en[key]], ["پاک کردن فیلترها", "Clear filters"], key);
  }
});
