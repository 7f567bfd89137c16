import { assert, assertEquals } from "@std/assert";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { fund } from "../_support/ledger.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

Deno.test("[e2e iban] the withdrawal form names the bank as the Sheba number is typed (fa and en, desktop and phone)", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const sara = await createAccount(stack, "Sara");
    await fund(sara.id, 5_000_000n);
    for (
      const [locale, width, typed, bank] of [
        ["fa", 390, "۰۶ ۰۱۲", "بانک ملت"],
        ["fa", 1280, "IR06 056", "بانک سامان"],
        ["en", 390, "06 017", "Bank Melli Iran"],
        ["en", 1280, "ir06-057", "Pasargad Bank"],
      ] as const
    ) {
      await t.step(`${locale}, ${width}px — "${typed}" is ${bank}`, async () => {
        const page = await signedInPage(browser, stack, locale, sara, "/wallet/withdrawals", width);
        await page.waitForSelector("[data-island=IbanInput][data-hydrated=true]");
        assertEquals(await page.textContent("#withdraw-iban-bank"), "");
        await page.locator("#withdraw-iban").pressSequentially(typed);
        assertEquals(await page.textContent("#withdraw-iban-bank"), bank);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(overflow <= width, `the page is ${overflow}px wide on a ${width}px screen`);
        await screenshot(page, `withdrawal-bank-${locale}-${width}`);
        await page.context().close();
      });
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
});
