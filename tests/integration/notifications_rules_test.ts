/**
 * Issue 15's rules that had no test of their own: the default preferences, the daily digest, every broadcast
 * segment, a broadcast's per-channel throttle, and the staff page's success rates per channel. Jobs that look at the whole outbox (build_digests, claim) run
 * in a transaction that is rolled back, so other tests' rows are never touched.
 */
import { assert, assertEquals } from "@std/assert";
import { sql, type Transaction } from "kysely";
import type { DB } from "../../lib/db/types.ts";
import { asService, asUser, createUser, db } from "../_support/db.ts";
import { fund } from "../_support/ledger.ts";
import { verifyPhone } from "../_support/notifications.ts";
import { department } from "../_support/tickets.ts";
import { openTicket } from "../../lib/tickets/store.ts";
import { channelRates } from "../../lib/notifications/staff.ts";
import { localizedData, renderTemplate } from "../../lib/notifications/render.ts";

class Rollback extends Error {}

/** Runs `fn` as the table owner in a transaction that is always rolled back; returns what it returned. */
async function thenRollBack<T>(fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db().transaction().execute(async (tx) => {
      result = await fn(tx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result as T;
}

async function emit(event: string, userId: string, data: Record<string, string> = {}) {
  await asService((tx) =>
    sql`select notifications.emit(${event}, ${userId}::uuid, ${JSON.stringify(data)}::text::jsonb,
      ${crypto.randomUUID()})`.execute(tx)
  );
}

async function channelsOf(userId: string, event: string): Promise<string[]> {
  return (await sql<{ channel: string }>`select channel from public.notification_outbox
    where user_id = ${userId}::uuid and event = ${event} order by channel`.execute(db())).rows.map((r) =>
    r.channel
  );
}

async function noQuietHours(userId: string, extra: { digest?: boolean } = {}) {
  await sql`insert into public.notification_preferences (user_id, quiet_hours_enabled, digest_enabled)
    values (${userId}, false, ${extra.digest ?? false})`.execute(db());
}

Deno.test("[notifications rules] defaults: in-app and email for every category; SMS for money and security once the phone is verified; WhatsApp off", async () => {
  const withPhone = await createUser("rules-phone");
  await verifyPhone(withPhone.id, `98912${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`);
  const withoutPhone = await createUser("rules-nophone");
  for (const user of [withPhone, withoutPhone]) {
    await noQuietHours(user.id);
    await emit("payment.failed", user.id, { amount: "1000", payment_id: "1" });
    await emit("security.password_changed", user.id);
    await emit("ticket.replied", user.id, { ticket_id: "1", number: "1", subject: "s" });
    await emit("account.email_bounced", user.id, { email: "x@example.com" });
  }
  assertEquals(await channelsOf(withPhone.id, "payment.failed"), ["email", "sms"]);
  assertEquals(await channelsOf(withPhone.id, "security.password_changed"), ["email", "sms"]);
  assertEquals(await channelsOf(withPhone.id, "ticket.replied"), ["email"]);
  assertEquals(await channelsOf(withPhone.id, "account.email_bounced"), ["email"]);
  for (const event of ["payment.failed", "security.password_changed", "ticket.replied"]) {
    assertEquals(await channelsOf(withoutPhone.id, event), ["email"], event);
  }
  const { rows: [inApp] } = await sql<{ n: number }>`select count(*)::int as n from public.notifications
    where user_id = ${withPhone.id}::uuid`.execute(db());
  assertEquals(inApp.n, 4, "every category is in the notification center");
});

Deno.test("[notifications rules] the daily digest: low-priority messages of a user with the digest on wait, then go as one email", async () => {
  const user = await createUser("rules-digest");
  await noQuietHours(user.id, { digest: true });
  await emit("broadcast.message", user.id, { subject: "Maintenance", body: "Tonight" });
  await emit("broadcast.message", user.id, { subject: "New feature", body: "Try it" });
  await emit("payment.failed", user.id, { amount: "1000", payment_id: "9" });
  const { rows: held } = await sql<{ event: string; status: string }>`select event, status
    from public.notification_outbox where user_id = ${user.id}::uuid and channel = 'email' order by id`
    .execute(db());
  assertEquals(held.map((r) => `${r.event}:${r.status}`), [
    "broadcast.message:held",
    "broadcast.message:held",
    "payment.failed:queued", // money is high priority: never held for the digest
  ]);
  const after = await thenRollBack(async (tx) => {
    await sql`select notifications.build_digests()`.execute(tx);
    return (await sql<{ event: string; status: string; data: { count: number; items: string } }>`
      select event, status, data from public.notification_outbox where user_id = ${user.id}::uuid
        and channel = 'email' order by id`.execute(tx)).rows;
  });
  assertEquals(after.map((r) => `${r.event}:${r.status}`), [
    "broadcast.message:digested",
    "broadcast.message:digested",
    "payment.failed:queued",
    "digest.daily:queued",
  ]);
  assertEquals(after[3].data.count, 2);
  assert(after[3].data.items.includes("Maintenance") && after[3].data.items.includes("New feature"));
  // As the dispatcher renders it for this (Persian) reader: the count in Persian digits.
  const [template] = (await sql<{ body: string }>`select body from public.notification_templates
    where event = 'digest.daily' and channel = 'email' and locale = 'fa'`.execute(db())).rows;
  const text = renderTemplate(template.body, localizedData(after[3].data, "fa"), "fa");
  assert(text.startsWith("۲ پیام تازه"), text);
});

Deno.test("[notifications rules] broadcast segments: all, a role, balance at least X, no sign-in for N days, a department's ticket customers", async () => {
  const rich = await createUser("rules-rich");
  const poor = await createUser("rules-poor");
  await fund(rich.id, 700_000n);
  await fund(poor.id, 100_000n);
  const asleep = await createUser("rules-asleep");
  const awake = await createUser("rules-awake");
  await sql`update auth.users set last_sign_in_at = now() - interval '40 days', created_at = now() - interval '90 days'
    where id = ${asleep.id}`.execute(db());
  await sql`update auth.users set last_sign_in_at = now() - interval '1 day' where id = ${awake.id}`.execute(
    db(),
  );
  const finance = await createUser("rules-finance", { role: "finance" });
  const dept = await department("rules");
  const customer = await createUser("rules-customer");
  await asUser(customer.claims, (tx) => openTicket(tx, { subject: "Q", body: "?", department: dept.code }));
  const mine = [rich, poor, asleep, awake, finance, customer];
  const members = async (segment: unknown) =>
    (await sql<{ id: string }>`select s::text as id from notifications.segment_users(${
      JSON.stringify(segment)
    }::text::jsonb) s where s = any(${mine.map((u) => u.id)}::uuid[])`.execute(db())).rows.map((r) => r.id)
      .sort();
  const ids = (...users: { id: string }[]) => users.map((u) => u.id).sort();
  assertEquals(await members({ kind: "all" }), ids(...mine));
  assertEquals(await members({ kind: "role", role: "finance" }), ids(finance));
  assertEquals(await members({ kind: "balance_at_least", amount: "500000" }), ids(rich));
  assertEquals(await members({ kind: "inactive_days", days: 30 }), ids(asleep));
  assertEquals(await members({ kind: "department_customers", department_id: dept.id }), ids(customer));
  // The count staff see before sending is the same set (here: at least the department's one customer).
  const admin = await createUser("rules-admin", { role: "admin" });
  const { rows: [count] } = await asUser(
    admin.claims,
    (tx) =>
      sql<{ n: number }>`select notifications.broadcast_recipients_count(${
        JSON.stringify({ kind: "department_customers", department_id: dept.id })
      }::text::jsonb)::int as n`.execute(tx),
  );
  assertEquals(count.n, 1);
});

Deno.test("[notifications rules] a broadcast is throttled per channel: at most rate_per_minute claimed in a minute", async () => {
  const admin = await createUser("rules-broadcaster", { role: "admin" });
  const dept = await department("throttle");
  const customers = await Promise.all([1, 2, 3, 4, 5].map((n) => createUser(`rules-throttle-${n}`)));
  for (const c of customers) {
    await noQuietHours(c.id);
    await asUser(c.claims, (tx) => openTicket(tx, { subject: "Q", body: "?", department: dept.code }));
  }
  const id = await asUser(admin.claims, async (tx) => {
    const { rows: [saved] } = await sql<{ id: string }>`select notifications.save_broadcast(null, 'Throttled',
      ${
      JSON.stringify({ kind: "department_customers", department_id: dept.id })
    }::text::jsonb, array['email'],
      '{"fa":"آزمایش","en":"Test"}'::jsonb, '{"fa":"متن","en":"Text"}'::jsonb, 2)::text as id`.execute(tx);
    await sql`select notifications.start_broadcast(${saved.id}::bigint)`.execute(tx);
    return saved.id;
  });
  try {
    const rows = (await sql<{ id: string }>`select id::text from public.notification_outbox
      where broadcast_id = ${id}::bigint`.execute(db())).rows.map((r) => r.id);
    assertEquals(rows.length, 5);
    const claimed = await thenRollBack(async (tx) => {
      const first = await sql<
        { id: string }
      >`select id::text from notifications.claim(100, 60, 'rules-a', ${rows}::bigint[])`
        .execute(tx);
      const second = await sql<
        { id: string }
      >`select id::text from notifications.claim(100, 60, 'rules-b', ${rows}::bigint[])`
        .execute(tx);
      return [first.rows.length, second.rows.length];
    });
    assertEquals(claimed, [2, 0], "2 a minute on the email channel, whoever claims");
  } finally {
    await asUser(admin.claims, (tx) => sql`select notifications.cancel_broadcast(${id}::bigint)`.execute(tx));
  }
});

Deno.test("[notifications rules] success rates per channel: reached the provider (sent, delivered) against failed, bounced or dead", async () => {
  let rates: Awaited<ReturnType<typeof channelRates>> = [];
  try {
    // Repeatable read: only this transaction's rows were made at or after its now(); other files' rows are not seen.
    await db().transaction().setIsolationLevel("repeatable read").execute(async (tx) => {
      const { rows: [{ since }] } = await sql<{ since: Date }>`select now() as since`.execute(tx);
      await sql`insert into public.notification_outbox (category, channel, recipient, event, status)
        select 'money', c, 'rates@example.com', 'payment.failed', s
        from (values ('email', 'sent'), ('email', 'delivered'), ('email', 'delivered'), ('email', 'failed'),
                     ('email', 'bounced'), ('email', 'queued'), ('sms', 'dead'), ('sms', 'held')) v (c, s)`
        .execute(tx);
      rates = await channelRates(tx, since);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  assertEquals(rates, [
    { channel: "email", total: 6, succeeded: 3, failed: 2, waiting: 1, rate: 0.6 },
    { channel: "sms", total: 2, succeeded: 0, failed: 1, waiting: 1, rate: 0 },
    { channel: "whatsapp", total: 0, succeeded: 0, failed: 0, waiting: 0, rate: null },
  ]);
});

Deno.test("[notifications rules] a broadcast respects preferences: email off for the broadcasts category sends that user none", async () => {
  const admin = await createUser("rules-pref-admin", { role: "admin" });
  const dept = await department("prefs");
  const [keen, quiet] = await Promise.all([createUser("rules-keen"), createUser("rules-quiet")]);
  for (const c of [keen, quiet]) {
    await noQuietHours(c.id);
    await asUser(c.claims, (tx) => openTicket(tx, { subject: "Q", body: "?", department: dept.code }));
  }
  await asUser(
    quiet.claims,
    (tx) =>
      sql`insert into public.notification_category_preferences (user_id, category, channel, enabled)
      values (${quiet.id}, 'broadcasts', 'email', false)`.execute(tx),
  );
  const id = await asUser(admin.claims, async (tx) => {
    const { rows: [saved] } = await sql<{ id: string }>`select notifications.save_broadcast(null, 'Prefs',
      ${JSON.stringify({ kind: "department_customers", department_id: dept.id })}::text::jsonb,
      array['in_app', 'email'], '{"fa":"آزمایش","en":"Test"}'::jsonb, '{"fa":"متن","en":"Text"}'::jsonb)::text as id`
      .execute(tx);
    await sql`select notifications.start_broadcast(${saved.id}::bigint)`.execute(tx);
    return saved.id;
  });
  try {
    assertEquals(await channelsOf(keen.id, "broadcast.message"), ["email"]);
    assertEquals(
      await channelsOf(quiet.id, "broadcast.message"),
      [],
      "no email for the one who turned it off",
    );
    const { rows } = await sql<{ user_id: string }>`select user_id::text from public.notifications
      where event = 'broadcast.message' and user_id = any(${[keen.id, quiet.id]}::uuid[])`.execute(db());
    assertEquals(rows.length, 2, "both see it in the notification center");
  } finally {
    await asUser(admin.claims, (tx) => sql`select notifications.cancel_broadcast(${id}::bigint)`.execute(tx));
  }
});
