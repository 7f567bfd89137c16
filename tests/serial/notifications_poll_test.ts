/**
 * Delivery-status polling (lib/notifications/poll.ts, functions/notifications-poll, pg_cron every minute) against
 * the stand-ins: Kavenegar's sms/status and statuslocalmessageid answer as the API does (1 → 4/5 → 10 | 11, ≤ 500
 * ids, 48 h / 12 h windows, 100 for an unknown id); SMS.ir's report is GET /v1/send/{messageId}. A push that is
 * lost leaves an accepted SMS `sent`; the sweep polls it and applies the final status as the webhook would, and a
 * late push (or a second poll) changes nothing. In tests/serial/ with the dispatcher's own tests (same harness).
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { config } from "../../lib/config.ts";
import { dispatch } from "../../lib/notifications/dispatch.ts";
import { createPollers, pollDeliveryStatus } from "../../lib/notifications/poll.ts";
import { LOCAL_NOTIFY, providerSettings } from "../../lib/notifications/settings.ts";
import webhook from "../../functions/notifications-webhook/index.ts";
import { asService, createUser, db } from "../_support/db.ts";
import { verifyPhone } from "../_support/notifications.ts";
import {
  type NotifyHarness,
  standInControl as control,
  withNotifyHarness as withHarness,
} from "../_support/notify_harness.ts";

const HOUR = 3_600_000;

/** A Kavenegar API call on the stand-in (form POST), its envelope back. */
async function kavenegar(h: NotifyHarness, method: string, params: Record<string, string>) {
  const response = await fetch(
    `${h.url}/sandbox/kavenegar/v1/${LOCAL_NOTIFY.kavenegarApiKey}/sms/${method}.json`,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
    },
  );
  const body = await response.json() as {
    return: { status: number };
    entries: { messageid: number; status: number; statustext: string; localid?: string }[] | null;
  };
  return { http: response.status, status: body.return.status, entries: body.entries ?? [] };
}

/** A user with a verified +98 phone whose password changed: a critical security SMS (no quiet hours). */
async function smsFor(name: string): Promise<{ userId: string; outboxId: string }> {
  const user = await createUser(name);
  await verifyPhone(user.id, `98912${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`);
  await asService((tx) =>
    sql`select notifications.emit('security.password_changed', ${user.id}::uuid, '{}'::jsonb, ${crypto.randomUUID()})`
      .execute(tx)
  );
  const { rows: [row] } = await sql<{ id: string }>`select id::text from public.notification_outbox
    where user_id = ${user.id}::uuid and channel = 'sms'`.execute(db());
  return { userId: user.id, outboxId: row.id };
}

interface OutboxState {
  status: string;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
}

async function outboxRow(id: string): Promise<OutboxState> {
  const { rows: [row] } = await sql<OutboxState>`select status, provider, provider_message_id, last_error
    from public.notification_outbox where id = ${id}::bigint`.execute(db());
  return row;
}

async function historyOf(id: string): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`select outcome || ' ' || coalesce(error, '') as line
    from public.notification_attempts where outbox_id = ${id}::bigint order by id`.execute(db());
  return rows.map((r) => r.line.trim());
}

async function send(h: NotifyHarness, ids: string[]) {
  await dispatch({ providers: h.providers, firstRetryMs: 30, budgetMs: 2_000, pollMs: 20, onlyIds: ids });
  await h.state.callbacksDone();
}

function poll(ids: string[]) {
  return pollDeliveryStatus({
    pollers: createPollers({ ...providerSettings(config()), timeoutMs: 5_000 }),
    minAgeSeconds: 0,
    budgetMs: 10_000,
    onlyIds: ids,
  });
}

/** Makes the sweep's next poll of these messages due now (time passing between two cron runs). */
async function pollsDueNow(ids: string[]) {
  await sql`update notifications.delivery_polls set next_poll_at = now()
    where outbox_id = any(${ids}::bigint[]) and next_poll_at <> 'infinity'`.execute(db());
}

Deno.test("[notifications poll] the Kavenegar stand-in answers sms/status and statuslocalmessageid as the API does", async () => {
  await withHarness(async (h) => {
    await control(h, "kavenegar", "lifecycle", { sent_after_ms: 300, final_after_ms: 900 });
    const localid = `poll-${crypto.randomUUID()}`;
    const sent = await kavenegar(h, "send", { receptor: "09121234567", message: "سلام", localid });
    assertEquals([sent.status, sent.entries[0].status], [200, 1]);
    const id = String(sent.entries[0].messageid);

    const first = await kavenegar(h, "status", { messageid: `${id},123` });
    assertEquals(first.entries.map((e) => [String(e.messageid), e.status]), [[id, 1], ["123", 100]]);
    await new Promise((r) => setTimeout(r, 450));
    assert([4, 5].includes((await kavenegar(h, "status", { messageid: id })).entries[0].status));
    await new Promise((r) => setTimeout(r, 600));
    const final = await kavenegar(h, "status", { messageid: id });
    assertEquals([final.entries[0].status, final.entries[0].statustext], [10, "رسیده به گیرنده"]);
    const byLocal = await kavenegar(h, "statuslocalmessageid", { localid });
    assertEquals(byLocal.entries.map((e) => [String(e.messageid), e.localid, e.status]), [[id, localid, 10]]);

    // More than 500 ids: 414. No ids: 406. A wrong key: 403.
    const many = Array.from({ length: 501 }, (_, i) => String(i + 1)).join(",");
    assertEquals((await kavenegar(h, "status", { messageid: many })).status, 414);
    assertEquals((await kavenegar(h, "status", { messageid: "" })).status, 406);
    const wrongKey = await fetch(`${h.url}/sandbox/kavenegar/v1/nope/sms/status.json?messageid=${id}`);
    assertEquals(wrongKey.status, 403);
    await wrongKey.body?.cancel();

    // The windows: by localid 12 h, by messageid 48 h; older is 100.
    await control(h, "kavenegar", "lifecycle", { clock_offset_ms: 13 * HOUR });
    assertEquals((await kavenegar(h, "statuslocalmessageid", { localid })).entries[0].status, 100);
    assertEquals((await kavenegar(h, "status", { messageid: id })).entries[0].status, 10);
    await control(h, "kavenegar", "lifecycle", { clock_offset_ms: 49 * HOUR });
    assertEquals((await kavenegar(h, "status", { messageid: id })).entries[0].status, 100);

    // Undelivered when set: 11.
    await control(h, "kavenegar", "lifecycle", {
      clock_offset_ms: 0,
      sent_after_ms: 0,
      final_after_ms: 0,
      final_status: 11,
    });
    const other = await kavenegar(h, "send", { receptor: "09121234568", message: "سلام" });
    const undelivered = await kavenegar(h, "status", { messageid: String(other.entries[0].messageid) });
    assertEquals([undelivered.entries[0].status, undelivered.entries[0].statustext], [
      11,
      "نرسیده به گیرنده",
    ]);
  });
});

Deno.test("[notifications poll] a lost Kavenegar push: the sweep polls the sent SMS until final, applies it like the webhook; a late push changes nothing", async () => {
  await withHarness(async (h) => {
    await control(h, "kavenegar", "faults", { failure_rate: 0, lose_reports: 1 });
    await control(h, "kavenegar", "lifecycle", { sent_after_ms: 200, final_after_ms: 800 });
    const messages = await Promise.all([1, 2, 3].map((n) => smsFor(`nt-poll-${n}`)));
    const ids = messages.map((m) => m.outboxId);
    await send(h, ids);
    for (const id of ids) {
      assertEquals((await outboxRow(id)).status, "sent", "accepted, and the push was lost");
    }
    assertEquals(h.state.stats("kavenegar").reports_lost, 3);

    // Too early: status 1 (or 4/5). Nothing final, the messages stay sent and are asked again later.
    const early = await poll(ids);
    assertEquals([early.polled, early.pending, early.changed], [3, 3, 0]);
    for (const id of ids) assertEquals((await outboxRow(id)).status, "sent");
    // Not due again yet: a second sweep right away asks nothing.
    assertEquals((await poll(ids)).polled, 0);

    await new Promise((r) => setTimeout(r, 900));
    await pollsDueNow(ids);
    const late = await poll(ids);
    assertEquals([late.polled, late.delivered, late.changed], [3, 3, 3]);
    for (const id of ids) {
      assertEquals((await outboxRow(id)).status, "delivered");
      assertEquals((await historyOf(id)).slice(-1), ["callback delivered: kavenegar status 10"]);
    }

    // The push arrives after all: answered 200, changes nothing (no second history line).
    const row = await outboxRow(ids[0]);
    const push = await webhook(
      new Request(
        `${h.url}/functions/v1/notifications-webhook/kavenegar?token=${LOCAL_NOTIFY.kavenegarWebhookToken}`,
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ messageid: row.provider_message_id!, status: "10" }),
        },
      ),
    );
    assertEquals(push.status, 200);
    assertEquals((await push.json()).outbox_id, null);
    assertEquals((await historyOf(ids[0])).filter((l) => l.startsWith("callback")).length, 1);
    // Final messages are not polled again.
    await pollsDueNow(ids);
    assertEquals((await poll(ids)).polled, 0);
  });
});

Deno.test("[notifications poll] undelivered (11) becomes failed; after a push was applied a poll changes nothing; SMS.ir's report endpoint", async () => {
  await withHarness(async (h) => {
    // Kavenegar says 11 (undelivered) and its push is lost: the poll fails the message.
    await control(h, "kavenegar", "faults", { failure_rate: 0, lose_reports: 1 });
    await control(h, "kavenegar", "lifecycle", { sent_after_ms: 0, final_after_ms: 0, final_status: 11 });
    const lost = await smsFor("nt-poll-undelivered");
    await send(h, [lost.outboxId]);
    const failed = await poll([lost.outboxId]);
    assertEquals([failed.failed, failed.changed], [1, 1]);
    const row = await outboxRow(lost.outboxId);
    assertEquals([row.status, row.last_error], ["failed", "kavenegar status 11"]);

    // The push arrives (not lost): the webhook makes it delivered; a poll then changes nothing.
    await control(h, "kavenegar", "reset", {});
    const pushed = await smsFor("nt-poll-pushed");
    await send(h, [pushed.outboxId]);
    assertEquals((await outboxRow(pushed.outboxId)).status, "delivered");
    const after = await poll([pushed.outboxId]);
    assertEquals([after.polled, after.changed], [0, 0], "a delivered message is not asked about");

    // Kavenegar down → SMS.ir, whose push is lost: its report (deliveryState null, then 1) delivers it.
    await control(h, "kavenegar", "faults", { failure_rate: 0, down: true });
    await control(h, "smsir", "faults", { failure_rate: 0, lose_reports: 1 });
    await control(h, "smsir", "lifecycle", { sent_after_ms: 0, final_after_ms: 500 });
    const viaSmsir = await smsFor("nt-poll-smsir");
    await send(h, [viaSmsir.outboxId]);
    const accepted = await outboxRow(viaSmsir.outboxId);
    assertEquals([accepted.provider, accepted.status], ["smsir", "sent"]);
    const report = await fetch(`${h.url}/sandbox/smsir/v1/send/${accepted.provider_message_id}`, {
      headers: { "x-api-key": LOCAL_NOTIFY.smsirApiKey, accept: "application/json" },
    });
    const body = await report.json();
    assertEquals([body.status, body.data.messageId, body.data.deliveryState], [
      1,
      Number(accepted.provider_message_id),
      null,
    ]);
    assertEquals((await poll([viaSmsir.outboxId])).pending, 1);
    await new Promise((r) => setTimeout(r, 600));
    await pollsDueNow([viaSmsir.outboxId]);
    const delivered = await poll([viaSmsir.outboxId]);
    assertEquals([delivered.delivered, delivered.changed], [1, 1]);
    assertEquals((await outboxRow(viaSmsir.outboxId)).status, "delivered");
    await sql`update notifications.circuits set failures = 0, opened_until = null`.execute(db());
  });
});

Deno.test("[notifications poll] an id Kavenegar no longer knows (status 100) is not asked about again; the message stays sent", async () => {
  await withHarness(async (h) => {
    await control(h, "kavenegar", "faults", { failure_rate: 0, lose_reports: 1 });
    const { outboxId } = await smsFor("nt-poll-expired");
    await send(h, [outboxId]);
    // The provider's clock runs past its 48 h window: it answers 100 for the id.
    await control(h, "kavenegar", "lifecycle", { clock_offset_ms: 49 * HOUR });
    const report = await poll([outboxId]);
    assertEquals([report.polled, report.expired, report.changed], [1, 1, 0]);
    assertEquals((await outboxRow(outboxId)).status, "sent", "accepted, final status unknown");
    const { rows: [kept] } = await sql<{ next: string; answer: string }>`select next_poll_at::text as next,
      last_answer as answer from notifications.delivery_polls where outbox_id = ${outboxId}::bigint`.execute(
      db(),
    );
    assertEquals([kept.next, kept.answer], ["infinity", "kavenegar status 100"]);
    await pollsDueNow([outboxId]);
    assertEquals((await poll([outboxId])).polled, 0);
  });
});

Deno.test("[notifications poll] the sweep is a minute pg_cron job (pg_cron 1.4 and 1.6) and only service_role may claim", async () => {
  const { rows: jobs } = await sql<
    { schedule: string; command: string }
  >`select schedule, command from cron.job
    where jobname = 'notifications-poll'`.execute(db());
  assertEquals(jobs, [{ schedule: "* * * * *", command: "select notifications.request_poll()" }]);
  // Every notifications job (bell change-log clean-up, dispatch, ledger events, digest, poll) is a five-field cron expression: pg_cron 1.4
  // has no '<n> seconds' schedules.
  const { rows: all } = await sql<
    { jobname: string; schedule: string }
  >`select jobname, schedule from cron.job
    where jobname like 'notifications-%' order by jobname`.execute(db());
  assertEquals(all.map((j) => j.jobname), [
    "notifications-bell-changes-cleanup",
    "notifications-digest",
    "notifications-dispatch",
    "notifications-ledger-events",
    "notifications-poll",
  ]);
  for (const job of all) assert(/^\S+( \S+){4}$/.test(job.schedule), `${job.jobname}: ${job.schedule}`);
  const { rows: grants } = await sql<{ role: string; claim: boolean; apply: boolean; request: boolean }>`
    select r as role,
      has_function_privilege(r, 'notifications.claim_polls(integer, integer, integer, bigint[])', 'execute') as claim,
      has_function_privilege(r, 'notifications.apply_polls(jsonb)', 'execute') as apply,
      has_function_privilege(r, 'notifications.request_poll()', 'execute') as request
    from unnest(array['anon', 'authenticated', 'service_role']) r order by r`.execute(db());
  assertEquals(grants, [
    { role: "anon", claim: false, apply: false, request: false },
    { role: "authenticated", claim: false, apply: false, request: false },
    { role: "service_role", claim: true, apply: true, request: false },
  ]);
});
