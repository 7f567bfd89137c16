/**
 * The customer's help desk in Chromium, in Persian: open a ticket with a screenshot attached, see it in the
 * thread as a thumbnail, get an agent's reply live (no reload), and rate the ticket once it is resolved.
 * Screenshots of the pages at 390px in fa and 1280px in en go to tests/.artifacts/.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { Buffer } from "node:buffer";
import { sql } from "kysely";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { asUser, db } from "../_support/db.ts";
import { verifyAccessToken } from "../../lib/auth/tokens.ts";
import { changeStatus, postMessage } from "../../lib/tickets/store.ts";
import { startAuthStack } from "../integration/auth_http_client.ts";
import { caller } from "../integration/wallet_api_client.ts";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

Deno.test("[e2e tickets] a customer opens a ticket with a screenshot, gets a live reply and rates it (fa)", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const customer = await caller(stack, "Maryam");
    const agent = await caller(stack, "Agent", "agent");
    const agentClaims = await verifyAccessToken(agent.token);
    let ticketId = "";

    await t.step(
      "fa, 390px — opens a ticket with a screenshot and sees its thumbnail in the thread",
      async (s) => {
        const page = await signedInPage(browser, stack, "fa", customer, "/tickets");
        await page.setViewportSize(PHONE);
        assertEquals(await page.getAttribute("html", "dir"), "rtl");
        assertStringIncludes(await page.textContent("main") ?? "", "هنوز تیکتی ندارید");
        await screenshot(page, "tickets-list-empty-fa-390");
        // The "screenshot" the customer attaches: a real PNG Chromium takes of the page they are on.
        const png = await page.screenshot({ type: "png", clip: { x: 0, y: 0, width: 390, height: 300 } });
        await page.click("a[href='/tickets/new']");
        await page.waitForURL(/\/tickets\/new$/);
        await page.selectOption("#field-department", "payments");
        await page.selectOption("#field-priority", "high");
        await page.fill("#field-subject", "مبلغ کسر شد ولی کیف پول شارژ نشد");
        await page.fill("#field-body", "۵۰٬۰۰۰ تومان پرداخت کردم؛ رسید بانک پیوست است.");
        await page.setInputFiles("#field-files", {
          name: "رسید.png",
          mimeType: "image/png",
          buffer: Buffer.from(png),
        });
        await screenshot(page, "tickets-new-fa-390");
        await page.click("form[action='/tickets/new'] button[type=submit]");
        await page.waitForURL(/\/tickets\/\d+\?notice=opened$/);
        ticketId = new URL(page.url()).pathname.split("/").at(-1)!;
        assertStringIncludes(await page.textContent(".alert-success") ?? "", "تیکت شما ثبت شد");
        const thumb = page.locator(".thread-message[data-message=opening] .attachment-thumb img");
        assertEquals(await thumb.count(), 1);
        await thumb.evaluate((img: HTMLImageElement) =>
          img.complete
            ? null
            : new Promise((resolve) => img.addEventListener("load", resolve, { once: true }))
        );
        assert(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth) > 0, "the thumbnail loaded");
        assertEquals(await thumb.getAttribute("alt"), "رسید.png");
        assertEquals(await page.getAttribute("[data-status]", "data-status"), "open");
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(width <= 390, `no sideways scroll at 390px (${width}px)`);
        await screenshot(page, "tickets-thread-fa-390");

        await s.step("an agent's reply appears without a reload", async () => {
          await page.waitForSelector(".live-replies[data-live=on]", { state: "attached" });
          await asUser(agentClaims, (tx) => postMessage(tx, ticketId, "سلام، پرداخت شما بررسی و شارژ شد."));
          await asUser(
            agentClaims,
            (tx) => postMessage(tx, ticketId, "یادداشت داخلی: بررسی شد", { internal: true }),
          );
          const live = page.locator("[data-live-message] .thread-message");
          await live.first().waitFor();
          assertStringIncludes(await live.first().textContent() ?? "", "پرداخت شما بررسی و شارژ شد");
          assertStringIncludes(await live.first().textContent() ?? "", "پشتیبانی");
          await page.waitForTimeout(300);
          assertEquals(await live.count(), 1, "the internal note never reaches the customer");
          await screenshot(page, "tickets-live-reply-fa-390");
        });

        await s.step("resolved by the agent, the customer rates it once", async () => {
          await asUser(agentClaims, (tx) => changeStatus(tx, ticketId, "resolved"));
          await page.reload();
          assertEquals(await page.getAttribute("[data-status]", "data-status"), "resolved");
          await page.check("input[name=score][value='5']");
          await page.fill("#field-comment", "سریع و دقیق");
          await screenshot(page, "tickets-rate-fa-390");
          await page.click("form.ticket-rate button[type=submit]");
          await page.waitForURL(/notice=rated$/);
          assertEquals(await page.getAttribute("#ticket-rating", "data-score"), "5");
          assertStringIncludes(await page.textContent("#ticket-rating") ?? "", "۵ از ۵");
          assertEquals(await page.locator("form.ticket-rate").count(), 0, "no second rating");
          await screenshot(page, "tickets-rated-fa-390");
          const { rows } = await sql<
            { csat_score: number }
          >`select csat_score from public.tickets where id = ${ticketId}`
            .execute(db());
          assertEquals(rows[0].csat_score, 5);
        });
        await page.goto(`${stack.appUrl}/tickets`);
        assertEquals(await page.locator("tbody tr").count(), 1);
        await screenshot(page, "tickets-list-fa-390");
        await page.context().close();
      },
    );

    await t.step("en, 1280px — the same pages in English", async () => {
      const page = await signedInPage(browser, stack, "en", customer, "/tickets");
      await page.setViewportSize(DESKTOP);
      assertEquals(await page.getAttribute("html", "dir"), "ltr");
      await screenshot(page, "tickets-list-en-1280");
      await page.goto(`${stack.appUrl}/tickets/new`);
      await screenshot(page, "tickets-new-en-1280");
      await page.goto(`${stack.appUrl}/tickets/${ticketId}`);
      assertStringIncludes(await page.textContent("#ticket-rating") ?? "", "5 out of 5");
      await screenshot(page, "tickets-thread-en-1280");
      await page.context().close();
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
