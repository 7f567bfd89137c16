/**
 * Phone-sized pages: every main customer page and the staff queues at 390 px, in fa and en. No page scrolls
 * sideways (`scrollWidth <= innerWidth`), the header is one compact row with its menu in a <details>
 * disclosure, and lists (payments, withdrawals, the staff queues, users, audit) become card lists. Screenshots
 * at 390 px and 1280 px go to tests/.artifacts/mobile-*.png.
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { asUser, db } from "../_support/db.ts";
import { fund, key, randomIban } from "../_support/ledger.ts";
import { verifyAccessToken } from "../../lib/auth/tokens.ts";
import { requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { startAuthStack } from "../integration/auth_http_client.ts";
import { caller } from "../integration/wallet_api_client.ts";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** The page's width against the viewport's, and what sticks out when it is wider. */
async function overflow(page: Page) {
  return await page.evaluate(() => {
    const width = globalThis.innerWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .slice(0, 3)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide };
  });
}

/** Problems found on a page; a step reports all of them at its end. */
const problems: string[] = [];

async function check(what: () => Promise<void>) {
  try {
    await what();
  } catch (error) {
    problems.push((error as Error).message);
  }
}

function assertNoProblems() {
  const found = problems.splice(0);
  assertEquals(found, []);
}

async function assertFits(page: Page, name: string) {
  const { scrollWidth, innerWidth, wide } = await overflow(page);
  assert(
    scrollWidth <= innerWidth,
    `${name}: scrollWidth ${scrollWidth} > ${innerWidth} (${wide.join(", ")})`,
  );
}

/** One header row on a phone: the brand and the menu's disclosure side by side, the menu closed. */
async function assertCompactHeader(page: Page, name: string) {
  const header = await page.evaluate(() => {
    const row = document.querySelector(".site-header .header-row")!.getBoundingClientRect();
    const menu = document.querySelector<HTMLDetailsElement>(".site-header details.site-menu");
    return { height: row.height, menu: !!menu, open: menu?.open ?? null };
  });
  assert(header.menu, `${name}: the header's menu is a <details> disclosure`);
  assertEquals(header.open, false, `${name}: the menu starts closed`);
  assert(header.height <= 72, `${name}: the header is one row (${header.height}px high)`);
}

/** Rows of a DataTable read as cards on a phone: the header row is hidden, each cell shows its label. */
async function assertCards(page: Page, selector: string, name: string) {
  const cards = await page.evaluate((selector) => {
    const table = document.querySelector(selector);
    if (!table) return null;
    const row = table.querySelector("tbody tr");
    const cell = row?.querySelector("td[data-label]");
    return {
      rowDisplay: row ? getComputedStyle(row).display : "",
      label: cell ? getComputedStyle(cell, "::before").content : "",
      head: (table.querySelector("thead") as HTMLElement | null)?.getBoundingClientRect().height ?? 0,
    };
  }, selector);
  assert(cards, `${name}: ${selector} is on the page`);
  assertEquals(cards.rowDisplay, "block", `${name}: each row is a card`);
  assert(cards.label.length > 2, `${name}: each cell is labelled (${cards.label})`);
  assert(cards.head <= 1, `${name}: the column headers are hidden`);
}

Deno.test("[e2e mobile] customer pages and staff queues fit a 390px phone, in fa and en", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    // A long name without spaces and a long email must wrap rather than widen the page.
    const customer = await caller(stack, "Mohammadrezaabdolhosseinzadeh-Kermanshahi");
    // An admin opens every staff list (finance's queues, the audit log, the help desk).
    const finance = await caller(stack, "Admin", "admin");
    await sql`update public.profiles set full_name = ${"محمدرضاعبدالحسین‌زاده‌کرمانشاهی‌اصفهانی‌تبریزی"}
      where id = ${customer.id}`.execute(db());
    await fund(customer.id, 5_000_000n);
    const claims = await verifyAccessToken(customer.token);
    const withdrawals: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { withdrawalId } = await asUser(
        claims,
        (tx) => requestWithdrawal(tx, { amount: 1_000_000n, iban: randomIban(), idempotencyKey: key("w") }),
      );
      withdrawals.push(withdrawalId);
    }
    await sql`insert into public.payments (user_id, merchant_key, amount, description, expires_at)
      values (${customer.id}, '0123456789abcdef', 250000, 'top-up', now() + interval '1 hour')`.execute(db());
    await sql`insert into public.tickets (customer_id, subject, body, department_id)
      select ${customer.id}, ${"A question about a withdrawal to IR820540102680020817909002"}, 'Where is it?', id
      from public.ticket_departments order by id limit 1`.execute(db());

    const customerPages: [string, string][] = [
      ["/", "home"],
      ["/wallet", "wallet"],
      ["/wallet?kind=transfer", "history"],
      ["/wallet/transfer", "transfer"],
      ["/wallet/topup", "topup"],
      ["/wallet/withdrawals", "withdrawals"],
      ["/wallet/payments", "payments"],
      ["/profile", "profile"],
      ["/tickets", "tickets"],
    ];
    const cardLists: Record<string, string> = {
      withdrawals: "main table",
      payments: "main table",
    };
    await t.step(
      "without JavaScript: the header (with the language form's button) still fits one row",
      async () => {
        for (const locale of ["fa", "en"] as const) {
          const context = await browser.newContext({
            javaScriptEnabled: false,
            viewport: PHONE,
            extraHTTPHeaders: { "accept-language": locale },
          });
          const page = await context.newPage();
          for (const path of ["/signin", "/"]) {
            await page.goto(`${stack.appUrl}${path}`);
            await check(() => assertFits(page, `no-JS ${locale} ${path}`));
            await check(() => assertCompactHeader(page, `no-JS ${locale} ${path}`));
          }
          await page.click(".site-menu > summary");
          await check(async () =>
            assert(await page.isVisible(".site-menu a[href='/signin']"), "the menu opens")
          );
          await screenshot(page, `mobile-nojs-menu-${locale}-390`);
          await context.close();
        }
        assertNoProblems();
      },
    );

    for (const locale of ["fa", "en"] as const) {
      await t.step(`${locale}: a new customer lands on the wallet with the welcome, once`, async () => {
        const newcomer = await caller(stack, `Newcomer-${locale}`);
        // Through the sign-in form without a return address: the landing is the wallet.
        const context = await browser.newContext({
          locale: locale === "fa" ? "fa-IR" : "en-US",
          extraHTTPHeaders: { "accept-language": locale },
          viewport: PHONE,
        });
        const tab = await context.newPage();
        await tab.goto(`${stack.appUrl}/signin`);
        await tab.fill("#field-email", newcomer.email);
        await tab.fill("#field-password", newcomer.password);
        await tab.click("form[action='/signin'] button[type=submit]");
        await tab.waitForURL((url) => url.pathname === "/wallet");
        assert(await tab.isVisible("[data-welcome]"), "the first landing shows the welcome");
        await check(() => assertFits(tab, `${locale} welcome`));
        await screenshot(tab, `mobile-welcome-${locale}-390`);
        await tab.setViewportSize(DESKTOP);
        await screenshot(tab, `mobile-welcome-${locale}-1280`);
        await tab.reload();
        assertEquals(await tab.locator("[data-welcome]").count(), 0, "the welcome is shown once");
        await context.close();
        assertNoProblems();
      });

      await t.step(`${locale}: customer pages`, async () => {
        const page = await signedInPage(browser, stack, locale, customer, "/wallet", PHONE.width);
        for (const [path, name] of customerPages) {
          await page.goto(`${stack.appUrl}${path}`);
          await check(() => assertFits(page, `${locale} ${path}`));
          await check(() => assertCompactHeader(page, `${locale} ${path}`));
          if (cardLists[name]) await check(() => assertCards(page, cardLists[name], `${locale} ${path}`));
          await screenshot(page, `mobile-${name}-${locale}-390`);
        }
        // The menu opens without JavaScript's help (a <details>) and still fits.
        await check(async () => {
          await page.click(".site-menu > summary", { timeout: 5_000 });
          assert(
            await page.isVisible(".site-menu a[href='/wallet']"),
            `${locale}: the open menu shows the wallet`,
          );
          await assertFits(page, `${locale} menu open`);
        });
        await screenshot(page, `mobile-menu-open-${locale}-390`);
        await page.setViewportSize(DESKTOP);
        for (const [path, name] of customerPages) {
          await page.goto(`${stack.appUrl}${path}`);
          await check(() => assertFits(page, `${locale} ${path} 1280`));
          await screenshot(page, `mobile-${name}-${locale}-1280`);
        }
        await page.context().close();
        assertNoProblems();
      });

      await t.step(`${locale}: staff queues`, async () => {
        const page = await signedInPage(browser, stack, locale, finance, "/admin", PHONE.width);
        const queues: [string, string, string][] = [
          ["/admin/withdrawals", "staff-withdrawals", "main table"],
          ["/admin/payments", "staff-payments", "main table"],
          ["/admin/users", "staff-users", "main table"],
          ["/admin/approvals", "staff-approvals", ""],
          [`/admin/wallets/${customer.id}`, "staff-wallet", ""],
          [`/admin/withdrawals/${withdrawals[0]}`, "staff-withdrawal", ""],
          [`/admin/users/${customer.id}`, "staff-user", ""],
          [`/admin/users/${customer.id}/wallet`, "staff-customer-wallet", "main table"],
          ["/admin/audit", "staff-audit", "main table"],
          ["/admin/tickets", "staff-tickets", "main table"],
        ];
        for (const [path, name, cards] of queues) {
          await page.goto(`${stack.appUrl}${path}`);
          await check(() => assertFits(page, `${locale} ${path}`));
          await check(() => assertCompactHeader(page, `${locale} ${path}`));
          if (cards) await check(() => assertCards(page, cards, `${locale} ${path}`));
          await screenshot(page, `mobile-${name}-${locale}-390`);
        }
        await page.setViewportSize(DESKTOP);
        for (const [path, name] of queues) {
          await page.goto(`${stack.appUrl}${path}`);
          await screenshot(page, `mobile-${name}-${locale}-1280`);
        }
        await page.context().close();
        assertNoProblems();
      });
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
});
