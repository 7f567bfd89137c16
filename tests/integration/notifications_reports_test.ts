/**
 * Delivery reports on the database side.
 *
 * Grouped reports (lib/notifications/webhook.ts ReportGroups): reports that arrive together are applied in one
 * statement; each caller gets its own message's id, and one report the database refuses fails alone.
 *
 * A delivery report that races the dispatcher's complete() (#15 crash test: a Kavenegar message stayed `sent`).
 * record_status updates the message by provider message id; when the update finds nothing, the report must be
 * kept (notifications.early_reports) or applied, never dropped. The race is made deterministic: a decoy row that
 * carries the same provider message id is locked by another transaction, so the report's update takes its
 * snapshot and then waits; complete() records the real message meanwhile; the decoy's transaction then moves the
 * decoy away, and the report's update, which did not see the real message, finds nothing.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import postgres from "postgres";
import { db } from "../_support/db.ts";
import { type DeliveryStatus, ReportGroups } from "../../lib/notifications/webhook.ts";

const url = Deno.env.get("DATABASE_URL")!;

async function outboxRow(sql: postgres.Sql, tag: string, fields: Record<string, unknown>): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.notification_outbox (category, channel, recipient, event, locale, data, dedupe_key, status,
      attempts, provider, provider_message_id, claimed_by, claimed_until)
    values ('account', 'sms', '+989120000000', 'raw.sms', 'fa', '{"body":"race"}', ${tag},
      ${fields.status as string}, ${fields.attempts as number}, ${(fields.provider ?? null) as string | null},
      ${(fields.provider_message_id ?? null) as string | null}, ${(fields.claimed_by ?? null) as
    | string
    | null},
      ${fields.claimed_by ? sql`now() + interval '60 seconds'` : null})
    returning id::text`;
  return row.id;
}

Deno.test("[notifications] a delivery report racing complete() is applied (or kept for the next claim), never dropped", async () => {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const decoyTx = postgres(url, { max: 1, onnotice: () => {} });
  const reporter = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const run = crypto.randomUUID().slice(0, 8);
    const messageId = `race-${run}`;
    const worker = `race-worker-${run}`;
    const decoy = await outboxRow(admin, `race-decoy-${run}`, {
      status: "sent",
      attempts: 1,
      provider: "kavenegar",
      provider_message_id: messageId,
    });
    const message = await outboxRow(admin, `race-message-${run}`, {
      status: "sending",
      attempts: 1,
      claimed_by: worker,
    });
    const [{ pid }] = await reporter<{ pid: number }[]>`select pg_backend_pid() as pid`;

    const holder = await decoyTx.reserve();
    await holder`begin`;
    await holder`update public.notification_outbox set status = 'delivered' where id = ${decoy}`;
    // The report: its update sees the decoy (same id, `sent`) and waits for its lock.
    const report = reporter<{ id: string | null }[]>`
      select notifications.record_status('kavenegar', ${messageId}, 'delivered', null)::text as id`.execute();
    let waiting = false;
    for (let i = 0; i < 400 && !waiting; i++) {
      const [w] = await admin<{ waiting: boolean }[]>`
        select coalesce(wait_event_type = 'Lock', false) as waiting from pg_stat_activity where pid = ${pid}`;
      waiting = w?.waiting ?? false;
      if (!waiting) await new Promise((r) => setTimeout(r, 25));
    }
    assertEquals(waiting, true, "the report's update should wait for the decoy's lock");
    // The dispatcher records the real message meanwhile (it commits before the report's update resumes).
    const [{ changed }] = await admin<{ changed: number }[]>`select notifications.complete(${worker},
      ${
      JSON.stringify([{
        id: Number(message),
        attempt: 1,
        provider: "kavenegar",
        outcome: "sent",
        provider_message_id: messageId,
      }])
    }::text::jsonb) as changed`;
    assertEquals(changed, 1);
    // The decoy's transaction moves the decoy away from the id and commits: the report's update finds nothing.
    await holder`update public.notification_outbox set provider_message_id = ${
      messageId + "-other"
    } where id = ${decoy}`;
    await holder`commit`;
    holder.release();
    await report;

    // Applied at once, or kept and applied by the next claim's apply_early_reports(); before the fix: neither.
    await admin`select notifications.apply_early_reports()`;
    const [row] = await admin<{ status: string; delivered: boolean }[]>`
      select status, delivered_at is not null as delivered from public.notification_outbox where id = ${message}`;
    assertEquals(row, { status: "delivered", delivered: true });
    const kept = await admin`select 1 from notifications.early_reports
      where provider = 'kavenegar' and provider_message_id = ${messageId}`;
    assertEquals(kept.length, 0);
  } finally {
    await Promise.all([admin.end(), decoyTx.end(), reporter.end()]);
  }
});

Deno.test("[notifications] reports that arrive together are applied in one statement; a refused one fails alone", async () => {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const run = crypto.randomUUID().slice(0, 8);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(
        await outboxRow(admin, `group-${run}-${i}`, {
          status: "sent",
          attempts: 1,
          provider: "smsir",
          provider_message_id: `group-${run}-${i}`,
        }),
      );
    }
    const groups = new ReportGroups(db());
    const applied = ids.map((_, i) =>
      groups.apply({ provider: "smsir", messageId: `group-${run}-${i}`, status: "delivered" })
    );
    const refused = groups.apply({
      provider: "smsir",
      messageId: `group-${run}-0`,
      status: "lost" as DeliveryStatus,
    });
    await assertRejects(() => refused);
    assertEquals(await Promise.all(applied), ids);
    // The first report goes alone; the 30 that arrived while it ran go in one group (then one by one again,
    // since the refused report failed that group).
    assertEquals(groups.stats.groups, 2);
    assertEquals(groups.stats.fallbacks, 1);
    const rows = await admin<{ status: string }[]>`select status from public.notification_outbox
      where id = any (${ids}::bigint[])`;
    assert(rows.length === 30 && rows.every((r) => r.status === "delivered"));
  } finally {
    await admin.end();
  }
});
