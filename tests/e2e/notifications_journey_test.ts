/**
 * Notifications in Chromium, in Persian (and a look in English): a transfer arrives and the header bell shows
 * it live; the center lists it and opening it marks it read; the user turns SMS off for money on
 * /profile/notifications and the next transfer makes no SMS (the outbox has no SMS row for it).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { fund } from "../_support/ledger.ts";
import { outboxOf, transferWithNotice, verifyPhone } from "../_support/notifications.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";
import { sql } from "kysely";
import { db } from "../../lib/db/client.ts";

/** Removes the user's "new sign-in" notices (each sign-in of the browser makes one). */
async function forgetSignInNotices(userId: string) {
  await sql`delete from public.notifications where user_id = ${userId} and event = 'security.new_sign_in'`
    .execute(db());
}

Deno.test("[e2e notifications] the live bell, the center, and SMS off for money", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const sender = await createAccount(stack, "Maryam");
    const user = await createAccount(stack, "Kian");
    await verifyPhone(user.id, "989121112233");
    await fund(sender.id, 5_000_000n);

    await t.step("a transfer arrives and the bell shows it live (fa)", async () => {
      const page = await signedInPage(browser, stack, "fa", user, "/wallet");
      // Chromium is a device this account has not used before (it signed up through the API): that sign-in
      // is announced. Start the bell from the transfers alone.
      await forgetSignInNotices(user.id);
      await page.reload();
      await page.waitForSelector(".bell-wrap[data-live='on']");
      assertEquals(await page.getAttribute("#notification-bell", "data-unread"), "0");
      await screenshot(page, "notifications-bell-empty-fa");
      await transferWithNotice(sender.id, user.id, 250_000n, "Maryam");
      await page.waitForSelector("#notification-bell[data-unread='1']", { timeout: 10_000 });
      assertEquals(await page.textContent(".bell-count"), "۱");
      assertStringIncludes(await page.textContent(".bell-latest") ?? "", "دریافت وجه");
      await screenshot(page, "notifications-bell-live-fa");

      await page.click("#notification-bell");
      await page.waitForURL((url) => url.pathname === "/notifications");
      const item = page.locator("[data-notification]").first();
      assertStringIncludes(await item.textContent() ?? "", "۲۵٬۰۰۰ تومان");
      assert(await item.evaluate((el) => el.classList.contains("notification-unread")));
      await screenshot(page, "notifications-center-fa");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "notifications-center-fa-mobile");
      await page.setViewportSize({ width: 1280, height: 900 });
      await item.locator(".notification-title a").click();
      await page.waitForURL((url) => url.pathname === "/wallet");
      await page.goto(`${stack.appUrl}/notifications`);
      assertEquals(await page.locator(".notification-unread").count(), 0);
      assertEquals(await page.getAttribute("#notification-bell", "data-unread"), "0");
    });

    await t.step("the center in English, and mark all as read without JavaScript", async () => {
      await transferWithNotice(sender.id, user.id, 10_000n, "Maryam");
      await transferWithNotice(sender.id, user.id, 20_000n, "Maryam");
      const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
      const page = await context.newPage();
      await page.goto(`${stack.appUrl}/signin?next=/notifications`);
      await page.fill("#field-email", user.email);
      await page.fill("#field-password", user.password);
      await page.click("form[action='/signin'] button[type=submit]");
      await page.waitForURL((url) => url.pathname === "/notifications");
      await forgetSignInNotices(user.id);
      await page.goto(`${stack.appUrl}/locale?locale=en&next=/notifications`).catch(() => {});
      await page.goto(`${stack.appUrl}/notifications`);
      assertEquals(await page.locator(".notification-unread").count(), 2);
      await screenshot(page, "notifications-center-en");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "notifications-center-en-mobile");
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.click("form[action='/notifications/read-all'] button");
      await page.waitForURL((url) => url.searchParams.get("notice") === "marked");
      assertEquals(await page.locator(".notification-unread").count(), 0);
      await context.close();
    });

    await t.step("SMS off for money: the next transfer sends no SMS (fa)", async () => {
      const before = await outboxOf(user.id);
      const smsBefore = before.filter((r) => r.channel === "sms" && r.event === "transfer.received").length;
      assertEquals(smsBefore, 3, "with the defaults, every money event also goes by SMS");

      const page = await signedInPage(browser, stack, "fa", user, "/profile/notifications");
      assert(await page.isChecked("[data-category='money'] input[name='cat.money.sms']"));
      assert(await page.isDisabled("[data-category='security'] input[name='cat.security.sms']"));
      assert(await page.isDisabled("#channel-whatsapp"), "WhatsApp is unavailable for a +98 number");
      await screenshot(page, "notifications-preferences-fa");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "notifications-preferences-fa-mobile");
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.uncheck("[data-category='money'] input[name='cat.money.sms']");
      await page.click(".prefs-form button[type=submit]");
      await page.waitForURL((url) => url.searchParams.get("notice") === "saved");
      assert(!await page.isChecked("[data-category='money'] input[name='cat.money.sms']"));
      assert(await page.isChecked("[data-category='money'] input[name='cat.money.email']"));

      const transaction = await transferWithNotice(sender.id, user.id, 30_000n, "Maryam");
      const rows = (await outboxOf(user.id)).filter((r) => r.data.transaction_id === transaction);
      assertEquals(rows.map((r) => r.channel), ["email"], "no SMS row for the money event");
      await page.waitForSelector("#notification-bell[data-unread='1']", { timeout: 10_000 });
    });

    await t.step("the preferences page in English at both widths", async () => {
      const page = await signedInPage(browser, stack, "en", user, "/profile/notifications");
      await screenshot(page, "notifications-preferences-en");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "notifications-preferences-en-mobile");
      await page.context().close();
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
