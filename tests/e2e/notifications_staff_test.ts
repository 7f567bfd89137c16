/**
 * Staff notification pages in Chromium, in Persian (and English): an admin composes a broadcast to a segment,
 * sees the recipient count and both languages, sends it, pauses and resumes it, and watches the progress bar
 * reach 100% without reloading; the template editor shows SMS segments live; the dead-letter queue re-queues.
 *
 * The dispatcher (part 1, branch notif-core) is not in this branch yet: the test moves the broadcast's outbox
 * rows the way it does (sending → sent, an attempt row each, then notifications.finish_broadcasts()).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { asService, db } from "../_support/db.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

async function withRole(account: { id: string }, role: string) {
  await sql`insert into public.user_roles (user_id, role) values (${account.id}, ${role}::public.app_role)`
    .execute(db());
}

/** What the dispatcher does for `n` of a broadcast's waiting rows: claim, send (attempt row), mark sent. */
async function dispatchSome(broadcastId: string, n: number) {
  await asService(async (tx) => {
    await sql`with picked as (
        select id from public.notification_outbox where broadcast_id = ${broadcastId}::bigint
          and status in ('queued', 'held') order by id limit ${n} for update skip locked),
      sent as (
        update public.notification_outbox o set status = 'sent', attempts = o.attempts + 1, provider = 'resend',
          provider_message_id = 'e2e-' || o.id, sent_at = now(), updated_at = now()
        from picked where o.id = picked.id returning o.id, o.attempts)
      insert into public.notification_attempts (outbox_id, attempt, provider, outcome, duration_ms)
      select id, attempts, 'resend', 'sent', 12 from sent`.execute(tx);
    await sql`select notifications.finish_broadcasts()`.execute(tx);
  });
}

Deno.test("[e2e notifications staff] broadcast with a live progress bar, templates, dead letters", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const admin = await createAccount(stack, "Admin");
    await withRole(admin, "admin");
    const auditors = [await createAccount(stack, "Aud1"), await createAccount(stack, "Aud2")];
    for (const a of auditors) await withRole(a, "auditor");

    await t.step("an admin sends a broadcast and watches the progress bar reach 100% (fa)", async () => {
      const page = await signedInPage(browser, stack, "fa", admin, "/admin/broadcasts");
      await page.fill("#field-title", "اطلاعیهٔ آزمایشی");
      await page.selectOption("#field-segment_kind", "role");
      await page.selectOption("#field-role", "auditor");
      await page.check("#channel-email");
      await page.fill("#field-subject_fa", "به‌روزرسانی سامانه");
      await page.fill("#field-body_fa", "پیشخوان امشب ساعت ۲ به‌روز می‌شود.");
      await page.fill("#field-subject_en", "System update");
      await page.fill("#field-body_en", "Pishkhan will be updated tonight at 2am.");
      // The default throttle is shown in the page's digits, as every other number is.
      assertEquals(await page.inputValue("#field-rate_per_minute"), "۶۰۰۰");
      await page.fill("#field-rate_per_minute", "۶۰۰۰");
      await screenshot(page, "notifications-broadcast-compose-fa");
      await page.click("form[action='/admin/broadcasts'] button[type=submit]");
      await page.waitForURL((url) => /^\/admin\/broadcasts\/\d+$/.test(url.pathname));
      const id = new URL(page.url()).pathname.split("/").pop()!;
      const { rows: [{ n }] } = await sql<{ n: number }>`select count(distinct r.user_id)::int as n
        from public.user_roles r join auth.users u on u.id = r.user_id
        where r.role = 'auditor' and u.deleted_at is null`.execute(db());
      assert(n >= 2);
      assertEquals(await page.getAttribute("#recipient-count", "data-count"), String(n));
      assertStringIncludes(await page.textContent("[data-preview='fa']") ?? "", "به‌روزرسانی سامانه");
      assertStringIncludes(await page.textContent("[data-preview='en']") ?? "", "System update");
      await screenshot(page, "notifications-broadcast-draft-fa");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "notifications-broadcast-draft-fa-mobile");
      await page.setViewportSize({ width: 1280, height: 900 });

      await page.click("#broadcast-start");
      await page.waitForSelector("#broadcast-status[data-status='sending']");
      await page.click("#broadcast-pause");
      await page.waitForSelector("#broadcast-status[data-status='paused']");
      await page.click("#broadcast-start");
      await page.waitForSelector("#broadcast-status[data-status='sending']");
      await page.waitForSelector(".island[data-hydrated='true'] .broadcast-progress");
      assertEquals(await page.getAttribute(".broadcast-progress", "data-percent"), "0");
      const { rows: [{ total }] } = await sql<{ total: number }>`select count(*)::int as total
        from public.notification_outbox where broadcast_id = ${id}::bigint`.execute(db());
      assertEquals(total, n, "one email per recipient (in-app rows are not outbox rows)");

      await dispatchSome(id, 1);
      await page.waitForFunction(
        () => Number(document.querySelector(".broadcast-progress")?.getAttribute("data-percent")) > 0,
        undefined,
        { timeout: 10_000 },
      );
      await screenshot(page, "notifications-broadcast-progress-fa");
      await dispatchSome(id, total);
      await page.waitForSelector(".broadcast-progress[data-percent='100']", { timeout: 10_000 });
      assertStringIncludes(await page.textContent("#progress-percent") ?? "", "۱۰۰");
      assertEquals(await page.getAttribute(".broadcast-progress", "data-status"), "done");
      await screenshot(page, "notifications-broadcast-done-fa");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "notifications-broadcast-done-fa-mobile");
      const { rows: audit } = await sql<{ action: string }>`select action from public.audit_log
        where actor_id = ${admin.id} and action like 'broadcasts.%' order by id`.execute(db());
      assertEquals(audit.map((a) => a.action), ["broadcasts.start", "broadcasts.pause", "broadcasts.start"]);
      await page.context().close();
    });

    await t.step("the SMS template editor counts segments as staff type (fa), and saves", async () => {
      const page = await signedInPage(
        browser,
        stack,
        "fa",
        admin,
        "/admin/notifications/templates/transfer.received/sms/fa",
      );
      await page.waitForSelector(".island[data-hydrated='true'] #template-preview");
      await page.fill("#field-body", "سلام {{sender}}");
      await page.waitForSelector("#sms-length[data-segments='1']");
      assertStringIncludes(await page.textContent("#sms-length") ?? "", "UCS-2");
      await page.fill("#field-body", "{{amount|toman}} از {{sender}} رسید. ".repeat(5));
      await page.waitForSelector("#sms-length[data-segments='3']");
      assertStringIncludes(await page.textContent("#template-preview") ?? "", "۱٬۲۵۰٬۰۰۰");
      await screenshot(page, "notifications-template-sms-fa");
      await page.fill("#field-body", "{{amount|toman}} از {{sender}} رسید. {{nope}}");
      await page.waitForSelector("#template-preview [role=alert]");
      await page.click("button[value=save]");
      await page.waitForSelector(".alert-error");
      await page.fill("#field-body", "{{amount|toman}} از {{sender}} به کیف پول شما رسید.");
      await page.click("button[value=save]");
      await page.waitForURL((url) => url.searchParams.get("notice") === "saved");
      const { rows: [tpl] } = await sql<{ body: string }>`select body from public.notification_templates
        where event = 'transfer.received' and channel = 'sms' and locale = 'fa'`.execute(db());
      assertEquals(tpl.body, "{{amount|toman}} از {{sender}} به کیف پول شما رسید.");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "notifications-template-sms-fa-mobile");
      await page.goto(`${stack.appUrl}/admin/notifications/templates`);
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, "notifications-templates-fa");
      await page.context().close();
    });

    await t.step(
      "the delivery log, a message's history and the dead-letter re-queue (en and fa)",
      async () => {
        const user = auditors[0];
        const { rows: [dead] } = await sql<{ id: string }>`insert into public.notification_outbox
          (category, channel, recipient, user_id, event, data, status, attempts, last_error, provider)
        values ('money', 'sms', '+989121234567', ${user.id}, 'transfer.received', '{"amount":"10000"}', 'dead', 8,
          'kavenegar 418: credit exhausted', 'kavenegar') returning id::text`.execute(db());
        await sql`insert into public.notification_attempts (outbox_id, attempt, provider, outcome, error, duration_ms)
        select ${dead.id}::bigint, g, case when g % 2 = 0 then 'smsir' else 'kavenegar' end,
          case when g = 8 then 'permanent' else 'retry' end, 'timeout after 5000 ms', 5000
        from generate_series(1, 8) g`.execute(db());

        const page = await signedInPage(browser, stack, "en", admin, "/admin/notifications");
        await screenshot(page, "notifications-admin-rates-en");
        await page.goto(`${stack.appUrl}/admin/notifications/log?channel=sms&status=dead`);
        assert(await page.locator(`[data-outbox='${dead.id}']`).count() === 1);
        await screenshot(page, "notifications-log-en");
        await page.click(`[data-outbox='${dead.id}'] a`);
        await page.waitForURL((url) => url.pathname === `/admin/notifications/log/${dead.id}`);
        assertEquals(await page.locator("[data-attempt]").count(), 8);
        await screenshot(page, "notifications-message-en");
        await page.context().close();

        const fa = await signedInPage(browser, stack, "fa", admin, "/admin/notifications/dead");
        await screenshot(fa, "notifications-dead-fa");
        await fa.setViewportSize({ width: 390, height: 844 });
        await screenshot(fa, "notifications-dead-fa-mobile");
        await fa.check(`[data-outbox='${dead.id}'] input[name=ids]`);
        await fa.click("#requeue-form button");
        await fa.waitForURL((url) => url.searchParams.get("requeued") === "1");
        const { rows: [after] } = await sql<{ status: string; attempts: number }>`select status, attempts
        from public.notification_outbox where id = ${dead.id}::bigint`.execute(db());
        assertEquals(after, { status: "queued", attempts: 0 });
        assertEquals(
          (await sql<{ n: number }>`select count(*)::int as n from public.notification_attempts
          where outbox_id = ${dead.id}::bigint`.execute(db())).rows[0].n,
          8,
          "the history stays",
        );
        await fa.context().close();
      },
    );

    await t.step("every staff notification page in English and Persian, 1280 and 390 px wide", async () => {
      const { rows: [last] } = await sql<{ id: string }>`select max(id)::text as id from public.broadcasts`
        .execute(db());
      const pages = [
        ["admin", "/admin/notifications"],
        ["log", "/admin/notifications/log"],
        ["dead", "/admin/notifications/dead"],
        ["templates", "/admin/notifications/templates"],
        ["template-email", "/admin/notifications/templates/payment.settled/email/en"],
        ["broadcasts", "/admin/broadcasts"],
        ["broadcast", `/admin/broadcasts/${last.id}`],
      ];
      for (const locale of ["en", "fa"] as const) {
        const page = await signedInPage(browser, stack, locale, admin, "/admin");
        for (const [name, path] of pages) {
          for (const width of [1280, 390]) {
            await page.setViewportSize({ width, height: 900 });
            const res = await page.goto(`${stack.appUrl}${path}`);
            assertEquals(res?.status(), 200, path);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
            assert(overflow <= 1, `${path} at ${width}px scrolls sideways by ${overflow}px`);
            await screenshot(page, `notifications-staff-${name}-${locale}-${width}`);
          }
        }
        await page.context().close();
      }
    });
  } finally {
    await browser.close();
    await stack.stop();
  }
});
