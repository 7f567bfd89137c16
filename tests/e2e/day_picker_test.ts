import { assert, assertEquals } from "@std/assert";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";
import { addDays, addMonths, persianDayLabel, persianToday } from "../../lib/i18n/persian_calendar.ts";

Deno.test("[e2e day picker] the Persian-calendar picker of the wallet filters works with the keyboard", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const sara = await createAccount(stack, "Sara");
    for (const width of [1280, 390]) {
      await t.step(
        `fa, ${width}px — open, move with arrows and pages, pick with Enter, close with Escape`,
        async () => {
          const page = await signedInPage(browser, stack, "fa", sara, "/wallet", width);
          const toggle = page.locator("#filter-from ~ .day-picker-toggle");
          await toggle.waitFor();
          assertEquals(await toggle.getAttribute("aria-expanded"), "false");
          await toggle.focus();
          await page.keyboard.press("Enter");
          const grid = page.locator("[role=dialog] [role=grid]");
          await grid.waitFor();
          assertEquals(await toggle.getAttribute("aria-expanded"), "true");
          // Saturday first, Persian month name in the heading the grid is labelled by.
          assertEquals((await page.locator("[role=grid] th").allTextContents())[0], "ش");
          const today = persianToday();
          const focused = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.day);
          assertEquals(await focused(), persianDayLabel(today), "today has the focus");
          assertEquals(await page.locator("td[tabindex='0']").count(), 1, "one day in the tab order");
          // Right to left: ← is the next day, → the previous one; ↓ a week later.
          await page.keyboard.press("ArrowLeft");
          await page.keyboard.press("ArrowLeft");
          await page.keyboard.press("ArrowRight");
          assertEquals(await focused(), persianDayLabel(addDays(today, 1)));
          await page.keyboard.press("ArrowDown");
          assertEquals(await focused(), persianDayLabel(addDays(today, 8)));
          await page.keyboard.press("PageUp");
          const picked = addMonths(addDays(today, 8), -1);
          assertEquals(await focused(), persianDayLabel(picked));
          await screenshot(page, `day-picker-fa-${width}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
          assert(overflow <= width, `the page is ${overflow}px wide on a ${width}px screen`);
          await page.keyboard.press("Enter");
          await grid.waitFor({ state: "detached" });
          assertEquals(await page.inputValue("#filter-from"), persianDayLabel(picked));
          assertEquals(await page.evaluate(() => document.activeElement?.id), "filter-from");

          // Escape closes without picking, and gives the focus back to the button.
          await toggle.click();
          await grid.waitFor();
          await page.keyboard.press("ArrowUp");
          await page.keyboard.press("Escape");
          await grid.waitFor({ state: "detached" });
          assertEquals(await page.inputValue("#filter-from"), persianDayLabel(picked));
          assert(await toggle.evaluate((el) => el === document.activeElement), "focus back on the button");

          // The picked day filters the history (the form posts the typed text).
          await page.click(".wallet-filters button[type=submit]");
          await page.waitForURL((url) => url.searchParams.has("from"));
          assertEquals(await page.inputValue("#filter-from"), persianDayLabel(picked));
          await page.context().close();
        },
      );
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
});
