/**
 * The staff help desk in Chromium, in Persian: an agent replies on the work page and the reply reaches the
 * customer live; a new customer message appears on the agent's open page without a reload; an agent merges
 * two tickets (typing the number in Persian digits) and the merged one redirects. The customer's own page
 * (/tickets/:id) is built on branch tk-customer and not merged here, so the customer side of the live check
 * listens through lib/tickets/live.ts and re-reads each message under the customer's RLS, as that page does.
 * Screenshots of the queue and the work page: fa at 390px, en at 1280px.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { asUser, db } from "../_support/db.ts";
import type { Claims } from "../../lib/db/client.ts";
import type { Stack } from "../../local/stack.ts";
import { openTicket, postMessage, type TicketMessage } from "../../lib/tickets/store.ts";
import { subscribeTicketMessages, visibleMessage } from "../../lib/tickets/live.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";
import { department } from "../_support/tickets.ts";
import { ticketNumberText } from "../../components/tickets/parts.tsx";

async function agent(stack: Stack, name: string) {
  const account = await createAccount(stack, name);
  await sql`insert into public.user_roles (user_id, role) values (${account.id}, 'agent'::public.app_role)`
    .execute(db());
  return account;
}

function claimsOf(account: { id: string; email: string }): Claims {
  return {
    sub: account.id,
    role: "authenticated",
    aud: "authenticated",
    email: account.email,
    user_role: "user",
  };
}

/** The page scrolls sideways when its content is wider than the viewport. */
async function assertNoSideScroll(page: Page) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  assert(scroll <= client, `the page is ${scroll}px wide in a ${client}px viewport`);
}

Deno.test("[e2e tickets staff] fa: a reply reaches the customer live, a customer message reaches the agent live, a merge redirects", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const desk = await agent(stack, "Sara");
    const customerAccount = await createAccount(stack, "Reza");
    const customer = claimsOf(customerAccount);
    // A department of its own, so the queue shows this test's tickets (the screenshots stay readable).
    const dept = await department("eee");
    const queue = `/admin/tickets?department=${dept.code}`;
    const ticket = await asUser(
      customer,
      (tx) =>
        openTicket(tx, {
          subject: "شارژ کیف پول انجام نشد",
          body: "مبلغ از حسابم کم شد ولی کیف پولم شارژ نشد.",
          department: dept.code,
        }),
    );
    const duplicate = await asUser(
      customer,
      (tx) =>
        openTicket(tx, {
          subject: "دوباره: شارژ نشد",
          body: "رسید بانکی را فرستادم.",
          department: dept.code,
        }),
    );

    await t.step("an agent's reply in Persian reaches the customer's open ticket live", async () => {
      // What the customer's open page follows: their tickets' messages, read again under their RLS.
      const arrived: TicketMessage[] = [];
      let got!: () => void;
      const reached = new Promise<void>((resolve) => got = resolve);
      const stop = await subscribeTicketMessages({ customerId: customerAccount.id }, async (event) => {
        const message = await asUser(customer, (tx) => visibleMessage(tx, event.message_id));
        if (message) {
          arrived.push(message);
          got();
        }
      });
      try {
        const page = await signedInPage(browser, stack, "fa", desk, `/admin/tickets/${ticket.id}`, 390);
        assertEquals(await page.getAttribute("html", "dir"), "rtl");
        await page.waitForSelector(".ticket-live[data-live='on']", { state: "attached" });
        await screenshot(page, "tickets-staff-work-fa-390");
        await assertNoSideScroll(page);

        // An internal note first: announced to staff, never to the customer.
        await page.fill("#reply-body", "بانک گفته تا فردا برمی‌گردد");
        await page.check("#reply-internal");
        await page.click("form.reply-form button[type=submit]");
        await page.waitForURL((url) => url.search === "?notice=noted");
        await page.fill("#reply-body", "سلام رضا، پرداخت شما پیدا شد و کیف پول شارژ می‌شود.");
        await page.click("form.reply-form button[type=submit]");
        await page.waitForURL((url) => url.search === "?notice=replied");
        assertStringIncludes(await page.textContent(".alert-success") ?? "", "پاسخ برای مشتری فرستاده شد");

        await Promise.race([
          reached,
          new Promise((_, no) => setTimeout(() => no(new Error("no live reply")), 8000)),
        ]);
        await new Promise((r) => setTimeout(r, 300)); // the note, had it leaked, would have arrived by now
        assertEquals(arrived.map((m) => [m.authorRole, m.internal, m.body]), [
          ["staff", false, "سلام رضا، پرداخت شما پیدا شد و کیف پول شارژ می‌شود."],
        ]);

        // And the other way: the customer writes; the agent's open page shows it without a reload.
        await page.waitForSelector(".ticket-live[data-live='on']", { state: "attached" });
        await page.evaluate(() => (globalThis as unknown as { marker: number }).marker = 7);
        await asUser(customer, (tx) => postMessage(tx, ticket.id, "ممنون، منتظرم."));
        await page.waitForSelector(".thread-live [data-author-role='customer']:has-text('ممنون، منتظرم.')");
        assertEquals(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker), 7);
        await page.context().close();
      } finally {
        await stop();
      }
    });

    await t.step(
      "an agent merges two tickets (number typed in Persian digits); the merged one redirects",
      async () => {
        const page = await signedInPage(browser, stack, "fa", desk, "/admin/tickets", 390);
        await page.goto(`${stack.appUrl}${queue}`);
        await page.waitForSelector(`tr[data-ticket='${duplicate.id}']`);
        await screenshot(page, "tickets-staff-queue-fa-390");
        await assertNoSideScroll(page);
        await page.click(`tr[data-ticket='${duplicate.id}'] a[href='/admin/tickets/${duplicate.id}']`);
        await page.waitForURL((url) => url.pathname === `/admin/tickets/${duplicate.id}`);
        const persianDigits = ticket.number.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
        await page.fill("#merge-into", persianDigits);
        await page.click("form.merge-form button[type=submit]");
        await page.waitForURL((url) =>
          url.pathname === `/admin/tickets/${ticket.id}` && url.search === "?notice=merged"
        );
        const thread = await page.textContent(".thread") ?? "";
        assertStringIncludes(thread, "رسید بانکی را فرستادم.");
        assertStringIncludes(thread, "مبلغ از حسابم کم شد");
        await page.goto(`${stack.appUrl}/admin/tickets/${duplicate.id}`);
        assertEquals(new URL(page.url()).pathname, `/admin/tickets/${ticket.id}`);
        assertStringIncludes(
          await page.textContent(".alert-info") ?? "",
          `${ticketNumberText(duplicate.number, "fa")} در این تیکت ادغام شد`,
        );
        await page.context().close();
      },
    );

    await t.step("the queue and the work page in English at 1280px", async () => {
      const page = await signedInPage(browser, stack, "en", desk, "/admin/tickets", 1280);
      await page.goto(`${stack.appUrl}${queue}`);
      assertEquals(await page.getAttribute("html", "dir"), "ltr");
      await screenshot(page, "tickets-staff-queue-en-1280");
      await page.goto(`${stack.appUrl}/admin/tickets/${ticket.id}`);
      await page.waitForSelector(".ticket-live[data-live='on']", { state: "attached" });
      await screenshot(page, "tickets-staff-work-en-1280");
      await assertNoSideScroll(page);
      await page.context().close();
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
