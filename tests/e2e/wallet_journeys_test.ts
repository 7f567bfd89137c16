import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { launchBrowser, screenshot } from "../_support/browser.ts";
import { db } from "../_support/db.ts";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import type { Stack } from "../../local/stack.ts";
import { signedInPage } from "../_support/browser.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

async function staff(stack: Stack, name: string, role: "finance" | "admin") {
  const account = await createAccount(stack, name);
  await sql`insert into public.user_roles (user_id, role) values (${account.id}, ${role}::public.app_role)`
    .execute(db());
  return account;
}

Deno.test("[e2e wallet] transfer with a live balance, withdrawal paid by finance, audited adjustment", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const sender = await createAccount(stack, "Maryam");
    const recipient = await createAccount(stack, "Kian");
    await fund(sender.id, 1_000_000n);

    await t.step(
      "a transfer in Persian reaches the recipient's open wallet page without a reload",
      async () => {
        const watching = await signedInPage(browser, stack, "en", recipient, "/wallet");
        await watching.waitForSelector(".wallet-balance[data-live='on']");
        await watching.evaluate(() => (globalThis as unknown as { marker: number }).marker = 42);
        assertEquals(await watching.textContent("#wallet-balance"), "0 tomans");

        const page = await signedInPage(browser, stack, "fa", sender, "/wallet");
        assertEquals(await page.getAttribute("html", "dir"), "rtl");
        assertEquals(await page.textContent("#wallet-balance"), "۱۰۰٬۰۰۰ تومان");
        await screenshot(page, "wallet-home-fa");
        await page.click("a[href='/wallet/transfer']");
        await page.fill("#field-recipient", recipient.email);
        await page.fill("#transfer-tomans", "۲۵٬۰۰۰");
        await page.fill("#field-note", "سهم ناهار");
        await screenshot(page, "wallet-transfer-fa");
        await page.click("form[action='/wallet/transfer'] button[type=submit]");
        await page.waitForSelector(".transfer-confirm");
        assertStringIncludes(await page.textContent("#confirm-name") ?? "", "Kian");
        assertEquals(await page.textContent("#confirm-amount"), "۲۵٬۰۰۰ تومان");
        await screenshot(page, "wallet-transfer-confirm-fa");
        await page.click("form[action='/wallet/transfer/confirm'] button[type=submit]");
        await page.waitForURL((url) => url.pathname === "/wallet" && url.search === "?notice=transferred");
        assertEquals(await page.textContent("#wallet-balance"), "۷۵٬۰۰۰ تومان");
        assertStringIncludes(await page.textContent(".wallet-entries") ?? "", "سهم ناهار");
        await screenshot(page, "wallet-after-transfer-fa");
        // Filter the history by a Persian-calendar day typed in Persian digits: today keeps the transfer.
        const today = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
          timeZone: "Asia/Tehran",
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
        }).format(new Date()).replace(/\u200f/g, "");
        await page.fill("#filter-from", today);
        await page.selectOption("#filter-kind", "transfer");
        await page.click(".wallet-filters button[type=submit]");
        await page.waitForURL((url) => url.searchParams.get("kind") === "transfer");
        assertEquals(await page.inputValue("#filter-from"), today);
        assertEquals(await page.locator(".wallet-entries [data-transaction]").count(), 1);
        await screenshot(page, "wallet-history-filtered-fa");
        await page.goto(`${stack.appUrl}/wallet`);
        await page.setViewportSize({ width: 390, height: 844 });
        await screenshot(page, "wallet-home-fa-mobile");

        await watching.waitForFunction(
          () => document.querySelector("#wallet-balance")?.textContent === "25,000 tomans",
          undefined,
          { timeout: 10_000 },
        );
        assertEquals(await watching.evaluate(() => (globalThis as unknown as { marker: number }).marker), 42);
        assertEquals(await watching.textContent("#wallet-available"), "25,000 tomans");
        await watching.reload();
        await screenshot(watching, "wallet-home-en");
        assertEquals((await walletOf(recipient.id)).balance, 250_000n);
        await page.context().close();
        await watching.context().close();
      },
    );

    await t.step(
      "a withdrawal with a bad IBAN is corrected, then finance pays it with a bank reference",
      async () => {
        const page = await signedInPage(browser, stack, "en", recipient, "/wallet/withdrawals");
        const iban = randomIban();
        const wrong = iban.slice(0, -1) + String((Number(iban.at(-1)) + 1) % 10);
        await page.fill("#withdraw-tomans", "10,000");
        await page.fill("#withdraw-iban", wrong);
        await page.click("form[action='/wallet/withdrawals'] button[type=submit]");
        assertStringIncludes(await page.textContent("#withdraw-iban-error") ?? "", "Sheba");
        await screenshot(page, "wallet-withdrawal-invalid-en");
        await page.fill("#withdraw-iban", iban);
        await page.fill("#withdraw-reauth", recipient.password); // the password again, for a withdrawal
        await page.click("form[action='/wallet/withdrawals'] button[type=submit]");
        await page.waitForURL(/notice=requested/);
        assertEquals(await page.getAttribute("[data-withdrawal] [data-status]", "data-status"), "pending");
        await screenshot(page, "wallet-withdrawals-en");

        const finance = await staff(stack, "finance", "finance");
        const desk = await signedInPage(browser, stack, "fa", finance, "/admin/withdrawals");
        await screenshot(desk, "wallet-admin-withdrawals-fa");
        const id = await page.getAttribute("[data-withdrawal]", "data-withdrawal");
        await desk.click(`a[href='/admin/withdrawals/${id}']`);
        await desk.waitForURL((url) => url.pathname === `/admin/withdrawals/${id}`);
        await screenshot(desk, "wallet-admin-withdrawal-fa");
        await desk.fill(`#ref-${id}`, "PAYA-778899");
        await desk.click(`form[action='/admin/withdrawals/${id}/approve'] button`);
        await desk.waitForURL(/notice=approved/);
        await page.reload();
        assertEquals(await page.getAttribute("[data-withdrawal] [data-status]", "data-status"), "approved");
        assertStringIncludes(await page.textContent(`[data-withdrawal="${id}"]`) ?? "", "PAYA-778899");
        const wallet = await walletOf(recipient.id);
        assertEquals([wallet.balance, wallet.held], [150_000n, 0n]);
        await desk.goto(`${stack.appUrl}/admin/ledger/health`);
        assertEquals(await desk.getAttribute("[data-problems]", "data-problems"), "0");
        await screenshot(desk, "wallet-admin-ledger-health-fa");
        await page.context().close();
        await desk.context().close();
      },
    );

    await t.step(
      "an admin adjusts a wallet with a reason and the adjustment appears in the audit log",
      async () => {
        const admin = await staff(stack, "admin", "admin");
        const page = await signedInPage(browser, stack, "en", admin, "/admin/wallets");
        await page.fill("#wallets-q", recipient.email);
        await page.click("form[action='/admin/wallets'] button");
        await page.click(`a[href='/admin/wallets/${recipient.id}']`);
        await page.fill("#adjust-tomans", "-5000");
        await page.fill("#adjust-reason", "Bank fee for the withdrawal");
        await page.click(`form[action='/admin/wallets/${recipient.id}/adjust'] button`);
        await page.waitForURL(/notice=adjusted/);
        assertStringIncludes(await page.textContent(".wallet-entries") ?? "", "Bank fee for the withdrawal");
        await screenshot(page, "wallet-admin-wallet-en");
        assertEquals((await walletOf(recipient.id)).balance, 100_000n);
        await page.goto(`${stack.appUrl}/admin/audit?action=wallet.adjust`);
        const log = await page.textContent("main") ?? "";
        assertStringIncludes(log, "Wallet adjustment");
        assertStringIncludes(log, admin.email);
        await screenshot(page, "wallet-admin-audit-en");
        await page.goto(`${stack.appUrl}/admin/wallets/${recipient.id}`);
        const fa = await browser.newContext({ extraHTTPHeaders: { "accept-language": "fa" } });
        await fa.addCookies(await page.context().cookies());
        const faPage = await fa.newPage();
        await faPage.goto(`${stack.appUrl}/admin/wallets/${recipient.id}`);
        assert((await faPage.textContent("h1") ?? "").includes("کیف پول"));
        await screenshot(faPage, "wallet-admin-wallet-fa");
        // The audit log's day filter in Persian: a Persian-calendar text field, read back as typed.
        await faPage.goto(`${stack.appUrl}/admin/audit?action=wallet.adjust`);
        await faPage.fill("#field-from", "۱۴۰۵/۰۱/۰۱");
        await faPage.click("form[action='/admin/audit'] button[type=submit]");
        await faPage.waitForURL((url) => url.searchParams.has("from"));
        assertEquals(await faPage.inputValue("#field-from"), "۱۴۰۵/۰۱/۰۱");
        await screenshot(faPage, "wallet-admin-audit-fa");
        await fa.close();
        await page.context().close();
      },
    );
  } finally {
    await browser.close();
    await stack.stop();
  }
  await assertLedgerInvariants();
});
