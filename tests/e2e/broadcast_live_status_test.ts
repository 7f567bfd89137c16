/**
 * The broadcast page's status badge is live, like its progress bar (one feed, islands/broadcast_feed.ts): while
 * an admin looks at a sending broadcast, a pause, a resume and a cancel made elsewhere (another tab, another
 * staff member), and the last message sent (done), show on the badge — and on the buttons, which offer only
 * what still applies — without a reload; in Persian and English, 1280 and 390 px wide.
 */
import { assertEquals } from "@std/assert";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { translate } from "../../lib/i18n/mod.ts";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { asService, asUser, db } from "../_support/db.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

type Action = "start" | "pause" | "cancel";

/** What the admin does from another tab: the same SQL the page's buttons call. */
async function asAdmin(adminId: string, action: Action, id: string) {
  await asUser(
    { sub: adminId, role: "authenticated" },
    (tx) => sql`select id from notifications.${sql.raw(`${action}_broadcast`)}(${id}::bigint)`.execute(tx),
  );
}

/** A sending broadcast by email to the auditors. */
async function sendingBroadcast(adminId: string, title: string): Promise<string> {
  const id = await asUser(
    { sub: adminId, role: "authenticated" },
    async (tx) =>
      (await sql<{ id: string }>`select notifications.save_broadcast(null, ${title},
      '{"kind":"role","role":"auditor"}'::jsonb, array['email'], '{"fa":"آزمایش","en":"Test"}'::jsonb,
      '{"fa":"متن آزمایشی","en":"Test text"}'::jsonb, 6000)::text as id`.execute(tx)).rows[0].id,
  );
  await asAdmin(adminId, "start", id);
  return id;
}

/** Every waiting row of the broadcast accepted by a provider, then the dispatcher's finish step. */
async function sendAll(id: string) {
  await asService(async (tx) => {
    await sql`update public.notification_outbox set status = 'sent', attempts = attempts + 1, provider = 'resend',
      provider_message_id = 'live-' || id, sent_at = now(), updated_at = now()
      where broadcast_id = ${id}::bigint and status in ('queued', 'held')`.execute(tx);
    await sql`select notifications.finish_broadcasts()`.execute(tx);
  });
}

async function badgeBecomes(page: Page, locale: "fa" | "en", status: string) {
  await page.waitForSelector(`#broadcast-status[data-status='${status}']`, { timeout: 10_000 });
  assertEquals(
    (await page.textContent("#broadcast-status"))?.trim(),
    translate(locale, `admin.broadcasts.status.${status}` as never),
  );
}

/** The ids of the action buttons shown, in order. */
async function buttons(page: Page): Promise<string[]> {
  return await page.$$eval("#broadcast-actions button", (list) => list.map((b) => b.id));
}

async function shots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assertEquals(overflow <= 1, true, `${name} scrolls sideways by ${overflow}px at 390 px`);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

Deno.test("[e2e broadcasts] the status badge follows pause, resume, cancel and done without a reload (fa, en)", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const admin = await createAccount(stack, "LiveAdmin");
    const auditor = await createAccount(stack, "LiveAuditor");
    await sql`insert into public.user_roles (user_id, role) values (${admin.id}, 'admin'), (${auditor.id}, 'auditor')`
      .execute(db());

    await t.step("fa: paused, sending again, then cancelled, while the page stays open", async () => {
      const id = await sendingBroadcast(admin.id, "اطلاعیهٔ زنده");
      const page = await signedInPage(browser, stack, "fa", admin, `/admin/broadcasts/${id}`);
      await page.waitForSelector(".island[data-hydrated='true'] #broadcast-status");
      await badgeBecomes(page, "fa", "sending");
      const loads = await page.evaluate(() => performance.getEntriesByType("navigation").length);
      assertEquals(await buttons(page), ["broadcast-pause", "broadcast-cancel"]);
      await asAdmin(admin.id, "pause", id);
      await badgeBecomes(page, "fa", "paused");
      // The buttons follow too: Resume instead of Pause.
      await page.waitForSelector("#broadcast-actions[data-status='paused']");
      assertEquals(await buttons(page), ["broadcast-start", "broadcast-cancel"]);
      assertEquals(
        (await page.textContent("#broadcast-start"))?.trim(),
        translate("fa", "admin.broadcasts.resume"),
      );
      await shots(page, "broadcast-live-paused-fa");
      await asAdmin(admin.id, "start", id);
      await badgeBecomes(page, "fa", "sending");
      await asAdmin(admin.id, "cancel", id);
      await badgeBecomes(page, "fa", "cancelled");
      // The progress bar and the buttons follow the same feed: nothing left to press.
      assertEquals(await page.getAttribute(".broadcast-progress", "data-status"), "cancelled");
      await page.waitForSelector("#broadcast-actions[data-status='cancelled']", { state: "attached" });
      assertEquals(await buttons(page), []);
      assertEquals(await page.evaluate(() => performance.getEntriesByType("navigation").length), loads);
      await shots(page, "broadcast-live-cancelled-fa");
      await page.context().close();
    });

    await t.step("en: done once every message has gone, while the page stays open", async () => {
      const id = await sendingBroadcast(admin.id, "Live notice");
      const page = await signedInPage(browser, stack, "en", admin, `/admin/broadcasts/${id}`);
      await page.waitForSelector(".island[data-hydrated='true'] #broadcast-status");
      await badgeBecomes(page, "en", "sending");
      await shots(page, "broadcast-live-sending-en");
      // Paused elsewhere, resumed here with the button that appeared live.
      await asAdmin(admin.id, "pause", id);
      await badgeBecomes(page, "en", "paused");
      await page.click("#broadcast-start");
      await page.waitForSelector("#broadcast-status[data-status='sending']");
      await page.waitForSelector(".island[data-hydrated='true'] #broadcast-status");
      await sendAll(id);
      await badgeBecomes(page, "en", "done");
      await page.waitForSelector("#broadcast-actions[data-status='done']", { state: "attached" });
      assertEquals(await buttons(page), []);
      await page.waitForSelector(".broadcast-progress[data-percent='100']");
      await shots(page, "broadcast-live-done-en");
      await page.context().close();
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
