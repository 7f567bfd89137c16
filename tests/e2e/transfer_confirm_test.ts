import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { db } from "../_support/db.ts";
import { fund } from "../_support/ledger.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

Deno.test("[e2e transfer] the confirmation names the recipient by a masked, verified address (fa on a phone, en on a desktop)", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const sender = await createAccount(stack, "Nasrin");
    const recipient = await createAccount(stack, "Arash");
    const subscriber = `912${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    await sql`update auth.users set phone = ${"98" + subscriber}, phone_confirmed_at = now()
      where id = ${recipient.id}::uuid`.execute(db());
    await fund(sender.id, 1_000_000n);

    await t.step("fa, 390px — by a verified mobile number typed in Persian digits", async () => {
      const page = await signedInPage(browser, stack, "fa", sender, "/wallet/transfer");
      await page.setViewportSize({ width: 390, height: 844 });
      const persian = `۰${subscriber.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)])}`;
      await page.fill("#field-recipient", persian);
      await page.fill("#transfer-tomans", "۱۰٬۰۰۰");
      await page.click("form[action='/wallet/transfer'] button[type=submit]");
      await page.waitForSelector(".transfer-confirm");
      assertEquals(
        await page.textContent("#confirm-handle"),
        `0${subscriber.slice(0, 3)}•••${subscriber.slice(6)}`,
      );
      assertStringIncludes(await page.textContent("#confirm-verified") ?? "", "شمارهٔ موبایل تأییدشده");
      assertStringIncludes(await page.textContent("#confirm-name") ?? "", "Arash");
      // In the RTL page the number still reads left to right: "0912" first, the last four digits last.
      const [first, last] = await page.evaluate(() => {
        const text = document.querySelector("#confirm-handle strong")!.firstChild!;
        const range = document.createRange();
        const x = (i: number) => {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          return range.getBoundingClientRect().x;
        };
        return [x(0), x(text.textContent!.length - 1)];
      });
      assert(first < last, `"0" at ${first}px, the last digit at ${last}px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(overflow <= 390, `the page is ${overflow}px wide on a 390px screen`);
      await screenshot(page, "wallet-transfer-confirm-phone-fa-390");
      await page.context().close();
    });

    await t.step("en, 1280px — by email", async () => {
      const page = await signedInPage(browser, stack, "en", sender, "/wallet/transfer");
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.fill("#field-recipient", recipient.email);
      await page.fill("#transfer-tomans", "10,000");
      await page.click("form[action='/wallet/transfer'] button[type=submit]");
      await page.waitForSelector(".transfer-confirm");
      assertEquals(await page.textContent("#confirm-handle"), `a***@${recipient.email.split("@")[1]}`);
      assertStringIncludes(await page.textContent("#confirm-verified") ?? "", "Verified email");
      await screenshot(page, "wallet-transfer-confirm-email-en-1280");
      await page.context().close();
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
