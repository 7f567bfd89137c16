import { assertEquals, assertMatch } from "@std/assert";
import { launchBrowser, screenshot } from "../_support/browser.ts";
import { startTestStack } from "../_support/stack.ts";

Deno.test("[e2e home] visitor — sees the product in Persian (RTL) and English (LTR), and islands hydrate", async () => {
  const stack = await startTestStack();
  const browser = await launchBrowser();
  try {
    const fa = await browser.newPage({
      locale: "fa-IR",
      extraHTTPHeaders: { "accept-language": "fa-IR,fa" },
    });
    await fa.goto(stack.appUrl);
    assertEquals(await fa.getAttribute("html", "dir"), "rtl");
    assertEquals(await fa.getAttribute("html", "lang"), "fa");
    await fa.waitForSelector('[data-island="AmountPreview"][data-hydrated="true"]');
    await fa.fill("#amount-preview-input", "۱۲۵۰۰");
    assertMatch(await fa.textContent("#amount-preview-output") ?? "", /۱۲۵٬۰۰۰ ریال/);
    await screenshot(fa, "home-fa");

    // Switching language through the island posts the form and reloads in English.
    await fa.selectOption('select[name="locale"]', "en");
    await fa.waitForURL(`${stack.appUrl}/`);
    await fa.waitForSelector('html[dir="ltr"]');
    assertEquals(await fa.getAttribute("html", "lang"), "en");
    await fa.waitForSelector('[data-island="AmountPreview"][data-hydrated="true"]');
    await fa.fill("#amount-preview-input", "12500");
    assertMatch(await fa.textContent("#amount-preview-output") ?? "", /125,000 rials/);
    await screenshot(fa, "home-en");

    const mobile = await browser.newPage({
      viewport: { width: 390, height: 844 },
      extraHTTPHeaders: { "accept-language": "fa" },
    });
    await mobile.goto(stack.appUrl);
    await screenshot(mobile, "home-fa-mobile");
  } finally {
    await browser.close();
    await stack.stop();
  }
});

Deno.test("[e2e home] visitor without JavaScript — the page renders and the language form still works", async () => {
  const stack = await startTestStack();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      extraHTTPHeaders: { "accept-language": "en" },
    });
    const page = await context.newPage();
    await page.goto(stack.appUrl);
    assertEquals(await page.getAttribute("html", "dir"), "ltr");
    await page.selectOption('select[name="locale"]', "fa");
    await page.click(".locale-switcher button[type=submit]");
    await page.waitForSelector('html[dir="rtl"]');
  } finally {
    await browser.close();
    await stack.stop();
  }
});
