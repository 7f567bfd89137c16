// Issue #10 in Chromium: money arriving adds the history row live and announces itself in a toast (fa, 390 px);
// receipts, the transfer and withdrawal errors, the top-up presets and the pending payment, looked at in fa
// and en at 1280 and 390 px, with no page wider than the screen.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { assertFitsWidth, launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { fund, key } from "../_support/ledger.ts";
import { sql } from "kysely";
import { asService } from "../../lib/db/client.ts";
import { pendingPaymentOf } from "../_support/payments.ts";
import { db } from "../_support/db.ts";
import { postTransfer } from "../../lib/wallet/transfers.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

const fitsWidth = assertFitsWidth;

Deno.test("[e2e wallet money] live history row and toast, receipts, forms", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const sara = await createAccount(stack, "Sara");
    const reza = await createAccount(stack, "Reza");
    await fund(sara.id, 3_000_000n);
    await fund(reza.id, 1_000_000n);

    await t.step(
      "fa, 390 px: money from Sara appears as a new row and a toast without a reload",
      async () => {
        const page = await signedInPage(browser, stack, "fa", reza, "/wallet", 390);
        await page.waitForSelector(".wallet-balance[data-live='on']");
        const rows = await page.locator(".wallet-entries tbody tr").count();
        await page.evaluate(() => (globalThis as unknown as { marker: number }).marker = 7);
        const { transactionId } = await asService((tx) =>
          postTransfer(tx, {
            fromUserId: sara.id,
            toUserId: reza.id,
            amount: 125_000n,
            idempotencyKey: key("e2e-live"),
            note: '=HYPERLINK("http://x.test","rent")',
          })
        );
        const row = page.locator(`.wallet-entries tr[data-transaction="${transactionId}"]`);
        await row.waitFor();
        assertEquals(await page.locator(".wallet-entries tbody tr").count(), rows + 1);
        assertEquals(
          await page.locator(".wallet-entries tbody tr").first().getAttribute("data-transaction"),
          transactionId,
        );
        assertStringIncludes(await row.textContent() ?? "", "از");
        assertStringIncludes(await row.textContent() ?? "", "Sara");
        assertEquals(await row.locator(".entry-note").getAttribute("dir"), "auto");
        const toast = page.locator(".toast");
        await toast.waitFor();
        assertEquals(
          (await toast.textContent())?.replace("×", "").trim(),
          "۱۲٬۵۰۰ تومان از \u2068Sara\u2069 به کیف پول شما رسید.",
        );
        assertEquals(await page.textContent("#wallet-balance"), "۱۱۲٬۵۰۰ تومان");
        assertEquals(
          await page.evaluate(() => (globalThis as unknown as { marker: number }).marker),
          7,
          "no reload",
        );
        await fitsWidth(page);
        await screenshot(page, "money-live-toast-fa-390");
        await page.click(`.wallet-entries tr[data-transaction="${transactionId}"] a.entry-receipt`);
        await page.waitForURL((url) => url.pathname === `/wallet/receipts/${transactionId}`);
        assertStringIncludes(await page.textContent("#receipt-counterparty") ?? "", "Sara");
        await page.click("#receipt-copy");
        await page.waitForSelector(".receipt-copied:has-text('کپی شد')");
        await fitsWidth(page);
        await screenshot(page, "money-receipt-fa-390");
        await page.emulateMedia({ media: "print" });
        assert(!(await page.isVisible(".site-header")), "the print sheet hides the header");
        await screenshot(page, "money-receipt-print-fa-390");
        await page.context().close();
      },
    );

    await t.step("pages at 1280 and 390 px in fa and en", async () => {
      for (const [locale, width] of [["fa", 1280], ["en", 1280], ["en", 390], ["fa", 390]] as const) {
        const page = await signedInPage(browser, stack, locale, sara, "/wallet", width);
        await fitsWidth(page);
        await screenshot(page, `money-wallet-${locale}-${width}`);
        const tx = await page.locator(".wallet-entries tbody tr").first().getAttribute("data-transaction");
        await page.goto(`${stack.appUrl}/wallet/receipts/${tx}`);
        await fitsWidth(page);
        await screenshot(page, `money-receipt-${locale}-${width}`);
        await page.goto(`${stack.appUrl}/wallet/transfer`);
        await page.fill("#field-recipient", reza.email);
        await page.fill("#transfer-tomans", "9999999");
        await page.click("form[action='/wallet/transfer'] button[type=submit]");
        await page.waitForSelector("#transfer-tomans-error");
        assertEquals(await page.locator(".alert-error").count(), 0, "one error, beside its field");
        await fitsWidth(page);
        await screenshot(page, `money-transfer-over-${locale}-${width}`);
        await page.goto(`${stack.appUrl}/wallet/withdrawals`);
        await page.fill("#withdraw-tomans", "");
        await page.click("form[action='/wallet/withdrawals'] button[type=submit]");
        await page.waitForSelector("#withdraw-tomans-error");
        await fitsWidth(page);
        await screenshot(page, `money-withdraw-empty-${locale}-${width}`);
        await page.goto(`${stack.appUrl}/wallet/topup`);
        await page.click("a[data-preset='100000']");
        await page.waitForURL(/tomans=100000/);
        assertEquals(await page.inputValue("#topup-tomans"), "100000");
        await fitsWidth(page);
        await screenshot(page, `money-topup-preset-${locale}-${width}`);
        await page.context().close();
      }
    });
    await t.step("a pending payment and the staff wallet page (fa and en)", async () => {
      const paymentId = await pendingPaymentOf(sara, 20_000n, 1800);
      const finance = await createAccount(stack, "Finance");
      await sql`insert into public.user_roles (user_id, role) values (${finance.id}, 'finance')`.execute(
        db(),
      );
      for (const [locale, width] of [["en", 1280], ["fa", 390]] as const) {
        const page = await signedInPage(browser, stack, locale, sara, `/wallet/payments/${paymentId}`, width);
        assertStringIncludes(
          await page.textContent("main") ?? "",
          locale === "en" ? "every minute until" : "هر دقیقه",
        );
        await fitsWidth(page);
        await screenshot(page, `money-payment-pending-${locale}-${width}`);
        await page.context().close();
        const staff = await signedInPage(browser, stack, locale, finance, `/admin/wallets/${sara.id}`, width);
        assertStringIncludes(await staff.textContent(".wallet-entries") ?? "", "Reza");
        await fitsWidth(staff);
        await screenshot(staff, `money-staff-wallet-${locale}-${width}`);
        await staff.context().close();
      }
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
