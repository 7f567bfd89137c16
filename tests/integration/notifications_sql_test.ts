/**
 * The notifications schema from the SQL side: every template is complete and uses only its event's variables;
 * SQL and TypeScript render alike; quiet hours across midnight in Tehran; preferences and criticality in emit;
 * and the hooks that write notifications in the same transaction as the change (transfer, tickets, security).
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, asUser, createUser, db } from "../_support/db.ts";
import { fund, key } from "../_support/ledger.ts";
import { department, joinDepartment } from "../_support/tickets.ts";
import { postTransfer } from "../../lib/wallet/transfers.ts";
import { openTicket, postMessage } from "../../lib/tickets/store.ts";
import { type Locale, renderTemplate, templateVariables } from "../../lib/notifications/render.ts";

const CHANNELS = ["in_app", "email", "sms", "whatsapp"];
const LOCALES = ["fa", "en"];

Deno.test("[notifications] templates — every event has every channel in fa and en, using only its declared variables; SQL and TS render alike", async () => {
  const events = (await sql<{ key: string; variables: string[]; link: string | null }>`
    select key, variables, link from public.notification_events`.execute(db())).rows;
  const templates =
    (await sql<{ event: string; channel: string; locale: string; subject: string; body: string }>`
    select event, channel, locale, subject, body from public.notification_templates`.execute(db())).rows;
  assert(events.length >= 20);
  const problems: string[] = [];
  for (const event of events) {
    for (const channel of CHANNELS) {
      for (const locale of LOCALES) {
        const t = templates.find((x) =>
          x.event === event.key && x.channel === channel && x.locale === locale
        );
        if (!t) {
          problems.push(`${event.key} ${channel} ${locale}: missing`);
          continue;
        }
        if ((channel === "in_app" || channel === "email") && !t.subject.trim()) {
          problems.push(`${event.key} ${channel} ${locale}: no subject`);
        }
        for (const v of [...templateVariables(t.subject), ...templateVariables(t.body)]) {
          if (!event.variables.includes(v)) {
            problems.push(`${event.key} ${channel} ${locale}: unknown {{${v}}}`);
          }
        }
      }
    }
    for (const v of templateVariables(event.link ?? "")) {
      if (!event.variables.includes(v)) problems.push(`${event.key} link: unknown {{${v}}}`);
    }
  }
  assertEquals(problems, []);
  // The same data renders the same in SQL (in-app rows) and in TypeScript (the dispatcher, the preview).
  const sample = {
    amount: "1234560",
    ref_id: "77",
    sender: "Zahra",
    subject: "Hi",
    body: "B",
    number: "TK-1",
  };
  for (const t of templates.filter((x) => x.channel === "sms")) {
    const { rows } = await sql<{ out: string }>`select notifications.render(${t.body}, ${
      JSON.stringify(sample)
    }::text::jsonb, ${t.locale}) as out`.execute(db());
    assertEquals(rows[0].out, renderTemplate(t.body, sample, t.locale as Locale), `${t.event} ${t.locale}`);
  }
});

Deno.test("[notifications] quiet hours — 22:00–08:00 Asia/Tehran spans midnight; outside it nothing waits", async () => {
  const until = async (at: string, start = "22:00", end = "08:00", tz = "Asia/Tehran") =>
    (await sql<{ t: Date | null }>`select notifications.quiet_until(${start}::time, ${end}::time, ${tz},
      ${at}::timestamptz) as t`.execute(db())).rows[0].t?.toISOString() ?? null;
  // Tehran is UTC+03:30: 23:30 local = 20:00 UTC → waits until 08:00 local next day = 04:30 UTC.
  assertEquals(await until("2026-01-01T20:00:00Z"), "2026-01-02T04:30:00.000Z");
  // 03:00 local (after midnight) → 08:00 the same local day.
  assertEquals(await until("2026-01-01T23:30:00Z"), "2026-01-02T04:30:00.000Z");
  // 21:59 local and 08:00 local are outside.
  assertEquals(await until("2026-01-01T18:29:00Z"), null);
  assertEquals(await until("2026-01-02T04:30:00Z"), null);
  // 22:00 local exactly is inside.
  assertEquals(await until("2026-01-01T18:30:00Z"), "2026-01-02T04:30:00.000Z");
  // A window that does not cross midnight, and another time zone.
  assertEquals(await until("2026-01-01T13:00:00Z", "12:00", "14:00", "UTC"), "2026-01-01T14:00:00.000Z");
  assertEquals(await until("2026-01-01T11:00:00Z", "12:00", "14:00", "UTC"), null);
});

async function withPhone(name: string, phone: string) {
  const user = await createUser(name);
  await sql`update auth.users set phone = ${
    phone.replace("+", "")
  }, phone_confirmed_at = now() where id = ${user.id}`
    .execute(db());
  // No quiet hours in these tests unless a test turns them on (the clock may be in Tehran's night).
  await sql`insert into public.notification_preferences (user_id, quiet_hours_enabled) values (${user.id}, false)`
    .execute(db());
  return user;
}

async function outbox(userId: string) {
  return (await sql<
    { event: string; channel: string; recipient: string; status: string; critical: boolean; later: boolean }
  >`
    select event, channel, recipient, status, critical, next_attempt_at > now() + interval '1 minute' as later
    from public.notification_outbox where user_id = ${userId}::uuid order by id`.execute(db())).rows;
}

async function emit(event: string, userId: string, data: Record<string, unknown> = {}) {
  await asService((tx) =>
    sql`select notifications.emit(${event}, ${userId}::uuid, ${JSON.stringify(data)}::text::jsonb)`.execute(
      tx,
    )
  );
}

Deno.test("[notifications] emit follows preferences: SMS off for a category sends none; WhatsApp to +98 goes by SMS; security ignores switches", async () => {
  const user = await withPhone(
    "nt-prefs",
    `+98935${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
  );
  await emit("payment.failed", user.id, { amount: "1000", payment_id: "1" });
  assertEquals((await outbox(user.id)).map((r) => r.channel), ["email", "sms"]);

  // The user turns SMS off for money, as the preferences page will (RLS: their own row).
  await asUser(
    user.claims,
    (tx) =>
      sql`insert into public.notification_category_preferences (user_id, category, channel, enabled)
      values (${user.id}::uuid, 'money', 'sms', false)`.execute(tx),
  );
  await emit("payment.failed", user.id, { amount: "1000", payment_id: "2" });
  assertEquals((await outbox(user.id)).slice(2).map((r) => r.channel), ["email"]);

  // WhatsApp on for tickets: a +98 number gets it by SMS, never by WhatsApp.
  await asUser(
    user.claims,
    (tx) =>
      sql`insert into public.notification_category_preferences (user_id, category, channel, enabled)
      values (${user.id}::uuid, 'tickets', 'whatsapp', true)`.execute(tx),
  );
  await emit("ticket.replied", user.id, { ticket_id: "1", number: "TK-1", subject: "s" });
  assertEquals((await outbox(user.id)).slice(3).map((r) => r.channel), ["email", "sms"]);

  // Every channel switched off: a security event still goes out on all of them, critical.
  await asUser(
    user.claims,
    (tx) =>
      sql`update public.notification_preferences set email_enabled = false, sms_enabled = false, in_app_enabled = false
      where user_id = ${user.id}::uuid`.execute(tx),
  );
  await emit("payment.failed", user.id, { amount: "1000", payment_id: "3" });
  await emit("security.password_changed", user.id);
  const last = (await outbox(user.id)).slice(5);
  assertEquals(last.map((r) => [r.event, r.channel, r.critical]), [
    ["security.password_changed", "email", true],
    ["security.password_changed", "sms", true],
  ]);
});

Deno.test("[notifications] quiet hours hold non-critical messages until morning; critical ones go now", async () => {
  const user = await withPhone(
    "nt-quiet",
    `+98936${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
  );
  // A window that always contains now: from a minute ago to a minute before now (wrapping past midnight).
  await sql`update public.notification_preferences set quiet_hours_enabled = true, time_zone = 'UTC',
      quiet_start = (now() at time zone 'UTC')::time - interval '1 minute',
      quiet_end = (now() at time zone 'UTC')::time - interval '2 minutes'
    where user_id = ${user.id}::uuid`.execute(db());
  await emit("payment.failed", user.id, { amount: "1000", payment_id: "1" });
  await emit("security.new_sign_in", user.id, { ip: "1.1.1.1", user_agent: "x" });
  assertEquals((await outbox(user.id)).map((r) => [r.event, r.later]), [
    ["payment.failed", true],
    ["payment.failed", true],
    ["security.new_sign_in", false],
    ["security.new_sign_in", false],
  ]);
});

Deno.test("[notifications] hooks — a transfer notifies the recipient (after the ledger's one-insert capture); a staff reply and a new ticket notify", async () => {
  const sender = await createUser("nt-sender");
  const recipient = await createUser("nt-recipient");
  await fund(sender.id, 500_000n);
  const { transactionId } = await asService((tx) =>
    postTransfer(tx, {
      fromUserId: sender.id,
      toUserId: recipient.id,
      amount: 120_000n,
      idempotencyKey: key("nt"),
    })
  );
  const captured =
    await sql`select 1 from notifications.ledger_events where transaction_id = ${transactionId}::bigint`
      .execute(db());
  // Either still captured, or a dispatcher of another test already expanded it: the notification tells.
  await asService((tx) => sql`select notifications.expand_ledger_events()`.execute(tx));
  const inApp = (await sql<{ event: string; body: string }>`select event, body from public.notifications
    where user_id = ${recipient.id}::uuid`.execute(db())).rows;
  assertEquals(inApp.map((r) => r.event), ["transfer.received"], `captured rows: ${captured.rows.length}`);
  assert(inApp[0].body.includes("۱۲٬۰۰۰"), inApp[0].body);
  // The sender is not told they received money; a repeat of the expansion changes nothing.
  await asService((tx) => sql`select notifications.expand_ledger_events()`.execute(tx));
  const senderEvents = (await sql<{ event: string }>`select event from public.notifications
    where user_id = ${sender.id}::uuid`.execute(db())).rows;
  assertEquals(senderEvents.filter((e) => e.event === "transfer.received"), []);
  assertEquals((await outbox(recipient.id)).filter((r) => r.event === "transfer.received").length, 1);

  const customer = await createUser("nt-customer");
  const agent = await createUser("nt-agent", { role: "agent" });
  const dept = await department("nt");
  await joinDepartment(agent.id, dept.id);
  const ticket = await asUser(
    customer.claims,
    (tx) => openTicket(tx, { subject: "Help", body: "Please", department: dept.code }),
  );
  const agentInApp = (await sql<{ event: string; link: string }>`select event, link from public.notifications
    where user_id = ${agent.id}::uuid and event like 'ticket.%'`.execute(db())).rows;
  assert(
    agentInApp.some((r) => r.event === "ticket.opened" && r.link === `/admin/tickets/${ticket.id}`),
    JSON.stringify(agentInApp),
  );
  await asUser(agent.claims, (tx) => postMessage(tx, ticket.id, "We are on it"));
  await asUser(agent.claims, (tx) => postMessage(tx, ticket.id, "internal note", { internal: true }));
  const customerInApp = (await sql<{ event: string }>`select event from public.notifications
    where user_id = ${customer.id}::uuid and event like 'ticket.%'`.execute(db())).rows;
  assertEquals(customerInApp.map((r) => r.event), ["ticket.replied"]);
});

Deno.test("[notifications] security hooks — password change, a sign-in from a new device and a new role notify, critically", async () => {
  const user = await createUser("nt-security");
  await sql`update auth.users set encrypted_password = 'old' where id = ${user.id}`.execute(db());
  await sql`delete from public.notifications where user_id = ${user.id}::uuid`.execute(db());
  await sql`update auth.users set encrypted_password = 'new' where id = ${user.id}`.execute(db());
  // The account's first device is not announced, nor is the same device again (another network address in
  // the same /24); a device it has not used before is.
  const session = (ip: string, agent: string) =>
    sql`insert into auth.sessions (id, user_id, ip, user_agent, created_at)
      values (gen_random_uuid(), ${user.id}, ${ip}::inet, ${agent}, now())`.execute(db());
  await session("10.0.0.1", "Firefox");
  await session("10.0.0.2", "Firefox");
  await session("10.0.0.1", "Firefox");
  await session("192.168.7.9", "Firefox");
  await sql`insert into public.user_roles (user_id, role) values (${user.id}, 'finance')`.execute(db());
  const events =
    (await sql<{ event: string }>`select event from public.notifications where user_id = ${user.id}::uuid
    order by id`.execute(db())).rows.map((r) => r.event);
  assertEquals(events, ["security.password_changed", "security.new_sign_in", "security.role_changed"]);
  const critical = (await outbox(user.id)).filter((r) => r.event.startsWith("security."));
  assert(critical.length >= 3 && critical.every((r) => r.critical));
});

Deno.test("[notifications] GET /metrics — 404 without METRICS_TOKEN, 401 without the bearer token, Prometheus text with it", async () => {
  const { config, loadConfig, setConfig } = await import("../../lib/config.ts");
  const { default: app } = await import("../../main.ts");
  const before = config();
  try {
    setConfig(loadConfig({ ...Deno.env.toObject(), LOG_LEVEL: "silent", METRICS_TOKEN: undefined }));
    assertEquals((await app.request("/metrics")).status, 404);
    setConfig(
      loadConfig({ ...Deno.env.toObject(), LOG_LEVEL: "silent", METRICS_TOKEN: "metrics-token-0123456789" }),
    );
    assertEquals((await app.request("/metrics")).status, 401);
    assertEquals(
      (await app.request("/metrics", { headers: { authorization: "Bearer wrong-token-012345" } })).status,
      401,
    );
    const user = await createUser("nt-metrics");
    await emit("payment.failed", user.id, { amount: "1000", payment_id: "1" });
    const res = await app.request("/metrics", {
      headers: { authorization: "Bearer metrics-token-0123456789" },
    });
    assertEquals(res.status, 200);
    const text = await res.text();
    assert(
      /pishkhan_notifications_messages\{channel="email",provider="none",status="queued"\} [1-9]/.test(text),
      text,
    );
    assert(text.includes("# TYPE pishkhan_notifications_dispatch_latency_seconds histogram"));
    assert(/pishkhan_notifications_queue_depth\{channel="email",status="queued"\} [1-9]/.test(text));
    assert(text.includes('pishkhan_notifications_circuit_open{provider="kavenegar"}'));
  } finally {
    setConfig(before);
  }
});

Deno.test("[notifications] a transfer's notice names the sender as the history does: the name, else a masked handle", async () => {
  const recipient = await createUser("nt-masked-recipient");
  const named = await createUser("Parisa");
  const emailOnly = await createUser("nt-email-only");
  const phoneOnly = await createUser("nt-phone-only");
  await sql`update public.profiles set full_name = '' where id in (${emailOnly.id}, ${phoneOnly.id})`
    .execute(db());
  const subscriber = String(Math.floor(Math.random() * 1e7)).padStart(7, "0");
  // A phone sign-up: no email, a verified mobile number (stored without the plus, as Auth stores it).
  await sql`update auth.users set email = null, phone = ${"98912" + subscriber}, phone_confirmed_at = now()
    where id = ${phoneOnly.id}`.execute(db());
  const bodies: string[] = [];
  for (const sender of [named, emailOnly, phoneOnly]) {
    await fund(sender.id, 100_000n);
    const { transactionId } = await asService((tx) =>
      postTransfer(tx, {
        fromUserId: sender.id,
        toUserId: recipient.id,
        amount: 20_000n,
        idempotencyKey: key("nm"),
      })
    );
    await asService((tx) => sql`select notifications.expand_ledger_events()`.execute(tx));
    // Each transfer is expanded before the next is posted (here, or by a dispatcher of another test):
    // the recipient's notices come in the senders' order.
    const notices = (await sql<{ body: string }>`select n.body from public.notifications n
      where n.user_id = ${recipient.id}::uuid and n.event = 'transfer.received' order by n.id`.execute(db()))
      .rows;
    assertEquals(notices.length, bodies.length + 1, `a notice for transfer ${transactionId}`);
    bodies.push(notices.at(-1)!.body);
  }
  assert(bodies[0].includes("Parisa"), bodies[0]);
  const [local, domain] = emailOnly.email.split("@");
  assert(bodies[1].includes(`${local[0]}***@${domain}`), bodies[1]);
  assert(!bodies[1].includes(emailOnly.email), `the whole email is not sent: ${bodies[1]}`);
  assert(bodies[2].includes(`0912•••${subscriber.slice(-4)}`), bodies[2]);
  assert(!bodies[2].includes(subscriber), `the whole number is not sent: ${bodies[2]}`);
});
