/**
 * The new confirm steps as people see them, in fa on a phone (390px) and en on a laptop (1280px): the
 * emailed-link confirm page (login CSRF) and the password asked again for withdrawals and large transfers.
 * Screenshots go to tests/.artifacts/.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../_support/browser.ts";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import type { Stack } from "../../local/stack.ts";
import { createAccount, magicTokenHash, startAuthStack } from "../integration/auth_http_client.ts";

const VIEWPORTS = { fa: { width: 390, height: 844 }, en: { width: 1280, height: 900 } } as const;

async function page(browser: Browser, locale: "fa" | "en", javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({
    locale: locale === "fa" ? "fa-IR" : "en-US",
    extraHTTPHeaders: { "accept-language": locale },
    viewport: VIEWPORTS[locale],
    javaScriptEnabled,
  });
  return await context.newPage();
}

async function signIn(p: Page, stack: Stack, account: { email: string; password: string }, next: string) {
  await p.goto(`${stack.appUrl}/signin?next=${encodeURIComponent(next)}`);
  await p.fill("#field-email", account.email);
  await p.fill("#field-password", account.password);
  await p.click("form[action='/signin'] button[type=submit]");
  await p.waitForURL((url) => url.pathname === next);
}

/** No horizontal scrolling: the page fits its viewport. */
async function fitsWidth(p: Page) {
  const [scroll, client] = await p.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  assert(scroll <= client, `page is ${scroll}px wide in a ${client}px viewport`);
}

Deno.test("[e2e reauth] link confirm page and the password asked again, fa 390px and en 1280px", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const maryam = await createAccount(stack, "Maryam");
    const kian = await createAccount(stack, "Kian");
    await fund(maryam.id, 2_000_000_000n);

    await t.step("emailed link — a confirm page; signed in, it says as whom", async () => {
      const fa = await page(browser, "fa");
      await signIn(fa, stack, kian, "/profile");
      const hash = await magicTokenHash(stack, maryam.email);
      await fa.goto(`${stack.appUrl}/auth/callback?token_hash=${hash}&type=magiclink`);
      assertEquals(await fa.getAttribute("html", "dir"), "rtl");
      assertStringIncludes(await fa.textContent(".alert-warning") ?? "", kian.email.toLowerCase());
      await fitsWidth(fa);
      await screenshot(fa, "auth-link-confirm-signed-in-fa-390");
      await fa.context().close();

      const en = await page(browser, "en");
      await en.goto(`${stack.appUrl}/auth/callback?token_hash=${hash}&type=magiclink`);
      assertEquals(await en.textContent("h1"), "Continue with this email link?");
      await screenshot(en, "auth-link-confirm-en-1280");
      await en.click("form[action='/auth/callback'] button[type=submit]");
      await en.waitForURL((url) => url.pathname === "/wallet");
      await en.context().close();
    });

    await t.step("withdrawal — the password in the form, without JavaScript too (fa, 390px)", async () => {
      const fa = await page(browser, "fa", false);
      await signIn(fa, stack, maryam, "/wallet/withdrawals");
      await fitsWidth(fa);
      await screenshot(fa, "wallet-withdrawal-reauth-fa-390");
      await fa.fill("#withdraw-tomans", "۱۰۰۰");
      await fa.fill("#withdraw-iban", randomIban());
      await fa.click("form[action='/wallet/withdrawals'] button[type=submit]");
      assertStringIncludes(await fa.textContent("#withdraw-reauth-error") ?? "", "رمز عبور");
      await screenshot(fa, "wallet-withdrawal-reauth-missing-fa-390");
      await fa.fill("#withdraw-reauth", maryam.password);
      await fa.click("form[action='/wallet/withdrawals'] button[type=submit]");
      await fa.waitForURL(/notice=requested/);
      assertEquals((await walletOf(maryam.id)).held, 10_000n);
      await fa.context().close();
    });

    await t.step("large transfer — the password on the confirm step (en, 1280px)", async () => {
      const en = await page(browser, "en");
      await signIn(en, stack, maryam, "/wallet/transfer");
      await en.fill("#field-recipient", kian.email);
      await en.fill("#transfer-tomans", "12,000,000");
      await en.click("form[action='/wallet/transfer'] button[type=submit]");
      await en.waitForSelector("#transfer-reauth");
      await screenshot(en, "wallet-transfer-reauth-en-1280");
      await en.fill("#transfer-reauth", "Wrong-password-1");
      await en.click("form[action='/wallet/transfer/confirm'] button[type=submit]");
      assertStringIncludes(await en.textContent("#transfer-reauth-error") ?? "", "not correct");
      await screenshot(en, "wallet-transfer-reauth-wrong-en-1280");
      await en.fill("#transfer-reauth", maryam.password);
      await en.click("form[action='/wallet/transfer/confirm'] button[type=submit]");
      await en.waitForURL(/notice=transferred/);
      assertEquals((await walletOf(kian.id)).balance, 120_000_000n);
      await en.context().close();
    });

    await t.step("the re-auth step in the other language and width too", async () => {
      const fa = await page(browser, "fa");
      await signIn(fa, stack, kian, "/wallet/transfer");
      await fa.fill("#field-recipient", maryam.email);
      await fa.fill("#transfer-tomans", "۱۰٬۰۰۰٬۰۰۰");
      await fa.click("form[action='/wallet/transfer'] button[type=submit]");
      await fa.waitForSelector("#transfer-reauth");
      await fitsWidth(fa);
      await screenshot(fa, "wallet-transfer-reauth-fa-390");
      await fa.context().close();
      const en = await page(browser, "en");
      await signIn(en, stack, kian, "/wallet/withdrawals");
      await screenshot(en, "wallet-withdrawal-reauth-en-1280");
      await en.context().close();
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
