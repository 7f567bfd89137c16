import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { launchBrowser, screenshot } from "../_support/browser.ts";
import { db } from "../_support/db.ts";
import { signedInPage } from "../_support/browser.ts";
import { zarinpalControl } from "../../local/payments_setup.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";
import { balanceOf, creditsFor } from "../_support/payments.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";

const paymentIdOf = (page: Page) => new URL(page.url()).pathname.split("/").at(-1)!;

Deno.test("[e2e payments] top-up journeys — pay in Persian, cancel in English, refund as finance", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const payer = await createAccount(stack, "payer");

    await t.step("payer tops up 50,000 tomans in Persian and lands back with the new balance", async () => {
      const page = await signedInPage(browser, stack, "fa", payer, "/wallet/topup");
      assertEquals(await page.getAttribute("html", "dir"), "rtl");
      assertStringIncludes(await page.textContent("main") ?? "", "موجودی فعلی: ۰ تومان");
      await screenshot(page, "payments-topup-fa");
      // A preset fills the amount; paying is a second, deliberate click.
      await page.click("a[data-preset='50000']");
      await page.waitForURL(/tomans=50000/);
      assertEquals(await page.inputValue("#topup-tomans"), "50000");
      await page.click("form:has(#topup-tomans) button[type=submit]");
      await page.waitForURL(/\/sandbox\/zarinpal\/pg\/StartPay\/S[0-9A-Za-z]{35}$/);
      assertStringIncludes(await page.textContent("body") ?? "", "۵۰٬۰۰۰ تومان");
      await screenshot(page, "payments-startpay");
      await page.click("button.pay");
      await page.waitForURL(/\/wallet\/payments\/\d+$/);
      assertEquals(await page.getAttribute("[data-payment-status]", "data-payment-status"), "verified");
      assertStringIncludes(await page.textContent(".alert-success") ?? "", "پرداخت موفق");
      assertEquals(await page.textContent("#wallet-balance"), "۵۰٬۰۰۰ تومان");
      assertMatch(await page.textContent("#payment-reference") ?? "", /^[۰-۹]+$/);
      await screenshot(page, "payments-result-success-fa");
      assertEquals(await creditsFor(paymentIdOf(page)), 1);
      assertEquals(await balanceOf(payer.id), 500_000n);

      await page.goto(`${stack.appUrl}/wallet/payments`);
      assertEquals(await page.locator("tbody tr").count(), 1);
      await screenshot(page, "payments-history-fa");
    });

    await t.step(
      "payer types a wrong amount, then cancels at the gateway in English: nothing is credited",
      async () => {
        const page = await signedInPage(browser, stack, "en", payer, "/wallet/topup");
        await page.fill("#topup-tomans", "500");
        await page.click("form:has(#topup-tomans) button[type=submit]");
        assertStringIncludes(
          await page.textContent(".field-error") ?? "",
          "from 1,000 tomans to 100,000,000 tomans",
        );
        await screenshot(page, "payments-topup-invalid-en");
        await page.fill("#topup-tomans", "12,345");
        await page.click("form:has(#topup-tomans) button[type=submit]");
        await page.waitForURL(/StartPay/);
        await page.click("button.cancel");
        await page.waitForURL(/\/wallet\/payments\/\d+$/);
        assertEquals(await page.getAttribute("[data-payment-status]", "data-payment-status"), "cancelled");
        assertStringIncludes(await page.textContent("main h2") ?? "", "Payment cancelled");
        assertEquals(await page.textContent("#wallet-balance"), "50,000 tomans");
        await screenshot(page, "payments-result-cancelled-en");
        assertEquals(await creditsFor(paymentIdOf(page)), 0);
        await page.goto(`${stack.appUrl}/wallet/payments`);
        await screenshot(page, "payments-history-en");
      },
    );

    await t.step(
      "the gateway is down at the callback: the payer sees pending, reconciliation credits it",
      async () => {
        const page = await signedInPage(browser, stack, "en", payer, "/wallet/topup");
        await page.click("a[data-preset='100000']");
        await page.waitForURL(/tomans=100000/);
        await page.click("form:has(#topup-tomans) button[type=submit]");
        await page.waitForURL(/StartPay/);
        zarinpalControl().down("verify", true);
        await page.click("button.pay");
        await page.waitForURL(/\/wallet\/payments\/\d+$/);
        assertEquals(await page.getAttribute("[data-payment-status]", "data-payment-status"), "pending");
        await screenshot(page, "payments-result-pending-en");
        zarinpalControl().down("verify", false);
        // pg_cron calls payments-reconcile every minute; ask for a run now, the way the job does.
        await sql`select payments.request_reconcile()`.execute(db());
        const id = paymentIdOf(page);
        for (let i = 0; i < 100 && await creditsFor(id) === 0; i++) {
          await new Promise((r) => setTimeout(r, 100));
        }
        await page.click("a[href$='/wallet/payments/" + id + "']");
        assertEquals(await page.getAttribute("[data-payment-status]", "data-payment-status"), "verified");
        assertEquals(await page.textContent("#wallet-balance"), "150,000 tomans");
        assertEquals(await creditsFor(id), 1);
      },
    );

    await t.step("finance finds the payment, reads the gateway exchange and refunds it", async () => {
      const finance = await createAccount(stack, "finance");
      await sql`insert into public.user_roles (user_id, role) values (${finance.id}, 'finance')`.execute(
        db(),
      );
      const page = await signedInPage(browser, stack, "en", finance, "/admin/payments");
      await page.fill("#field-q", payer.email);
      await page.click("form.filters button[type=submit]");
      await page.waitForURL(/q=/);
      assertEquals(await page.locator("tbody tr").count(), 3);
      await screenshot(page, "payments-admin-list-en");
      await page.click("tbody tr:last-child a");
      await page.waitForURL(/\/admin\/payments\/\d+$/);
      assert(await page.locator("[data-event-kind=verify]").count() >= 1);
      await page.fill("#refund-reason", "customer asked");
      await page.click("form[action$='/refund'] button[type=submit]");
      await page.waitForURL(/notice=refund_completed/);
      await screenshot(page, "payments-admin-detail-en");
      assertEquals(await balanceOf(payer.id), 1_000_000n);

      const fa = await signedInPage(browser, stack, "fa", finance, "/admin/payments");
      assertEquals(await fa.getAttribute("html", "dir"), "rtl");
      await screenshot(fa, "payments-admin-list-fa");
      await fa.goto(page.url().replace(/\?.*$/, ""));
      assertStringIncludes(await fa.textContent("[data-status]") ?? "", "بازگشت‌داده‌شده");
      await screenshot(fa, "payments-admin-detail-fa");

      const csv = await page.request.get(`${stack.appUrl}/admin/payments/export.csv?q=${payer.email}`);
      assertEquals(csv.status(), 200);
      assertEquals((await csv.text()).trim().split("\r\n").length, 4);
      await assertLedgerInvariants();
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
