/**
 * Phone sign-in in Chromium: in fa on a phone (390px) the number and the code are typed in Persian digits,
 * the code read from the outbox like an SMS; the resend button counts down with JavaScript and is a plain
 * button without it. Screenshots of every phone page in fa and en at 1280px and 390px.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { createClient } from "@supabase/supabase-js";
import { newPage, screenshot, signedInPage, withBrowser } from "../_support/browser.ts";
import { smsCode, uniqueMobile } from "../_support/sms.ts";
import { createAccount } from "../integration/auth_http_client.ts";

const persian = (digits: string) => digits.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);

Deno.test("[e2e phone] fa, 390px — sign in by phone with the code from the outbox typed in Persian digits", async () => {
  await withBrowser(async (stack, browser) => {
    const phone = uniqueMobile();
    const admin = createClient(stack.gatewayUrl, stack.keys.secretKey, {
      auth: { persistSession: false, autoRefreshToken: false },
    }).auth.admin;
    const made = await admin.createUser({ phone, phone_confirm: true, user_metadata: { full_name: "آرش" } });
    assertEquals(made.error, null);

    const page = await newPage(browser, "fa", { width: 390 });
    await page.goto(`${stack.appUrl}/signin`);
    await page.click("a[href='/auth/phone']");
    await page.waitForURL(/\/auth\/phone$/);
    await page.fill("#field-phone", persian(`0${phone.slice(3)}`));
    await page.click("form[action='/auth/phone'] button[type=submit]");
    await page.waitForURL(/\/auth\/phone\/code$/);
    assertEquals(await page.getAttribute("#field-code", "autocomplete"), "one-time-code");
    assertEquals(await page.getAttribute("#field-code", "inputmode"), "numeric");
    // The island counts down: the button waits, in Persian digits.
    await page.waitForSelector("#resend[disabled]");
    assertStringIncludes(await page.textContent("#resend") ?? "", "ثانیه");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(overflow <= 390, `the page is ${overflow}px wide on a 390px screen`);
    await screenshot(page, "phone-code-fa-390");

    const code = await smsCode(phone);
    await page.type("#field-code", persian(code));
    await page.click("form[action='/auth/phone/code'] button[type=submit]");
    // Signed in, the customer lands on the wallet; the profile shows the number as verified.
    await page.waitForURL(/\/wallet$/);
    await page.goto(`${stack.appUrl}/profile`);
    assertEquals(await page.textContent("h1"), "نمایهٔ شما");
    assertEquals(
      await page.textContent("#verified-phone"),
      `0${phone.slice(3, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}`,
    );
    await screenshot(page, "phone-profile-fa-390");
    await page.context().close();
  });
});

Deno.test("[e2e phone] every phone page in fa and en at 1280px and 390px; without JavaScript the resend is a button", async () => {
  await withBrowser(async (stack, browser) => {
    for (const [locale, width] of [["fa", 1280], ["fa", 390], ["en", 1280], ["en", 390]] as const) {
      const page = await newPage(browser, locale, { width });
      await page.goto(`${stack.appUrl}/auth/phone`);
      await screenshot(page, `phone-signin-${locale}-${width}`);
      await page.goto(`${stack.appUrl}/auth/phone/signup`);
      await page.fill("#field-phone", "021 1234 5678");
      await page.click("form[action='/auth/phone/signup'] button[type=submit]");
      await page.waitForSelector("#field-phone-error");
      await screenshot(page, `phone-signup-${locale}-${width}`);
      await page.goto(`${stack.appUrl}/auth/phone`);
      await page.fill("#field-phone", uniqueMobile());
      await page.click("form[action='/auth/phone'] button[type=submit]");
      await page.waitForURL(/\/auth\/phone\/code$/);
      await page.fill("#field-code", "12");
      await page.click("form[action='/auth/phone/code'] button[type=submit]");
      await page.waitForSelector("#field-code-error");
      if (!(locale === "fa" && width === 390)) await screenshot(page, `phone-code-${locale}-${width}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(overflow <= width, `${locale} ${width}: the page is ${overflow}px wide`);
      await page.context().close();

      const account = await createAccount(stack, `card-${locale}-${width}`);
      const profile = await signedInPage(browser, stack, locale, account, "/profile", width);
      await profile.fill("#phone #field-phone", "12ab");
      await profile.click("form[action='/profile/phone'] button[type=submit]");
      await profile.waitForSelector("#phone #field-phone-error");
      if (!(locale === "fa" && width === 390)) await screenshot(profile, `phone-profile-${locale}-${width}`);
      await profile.context().close();
    }

    const noJs = await newPage(browser, "en", { width: 1280, javaScriptEnabled: false });
    await noJs.goto(`${stack.appUrl}/auth/phone`);
    await noJs.fill("#field-phone", uniqueMobile());
    await noJs.click("form[action='/auth/phone'] button[type=submit]");
    await noJs.waitForURL(/\/auth\/phone\/code$/);
    assertEquals(await noJs.isEnabled("#resend"), true);
    assertEquals(await noJs.textContent("#resend"), "Send a new code");
    await noJs.click("#resend");
    await noJs.waitForURL(/notice=code_resent/);
    assertStringIncludes(await noJs.textContent("main") ?? "", "Only the newest code works.");
    await noJs.context().close();
  });
});
