/**
 * Notices speak the reader's words, not the database's: a role change names the role and a ticket notice the
 * status as the pages do, in the recipient's language, and a Persian reader sees the ticket number in Persian
 * digits. The labels the database uses (notifications.label) are the app's own catalogue entries: this test
 * fails when the two differ.
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asUser, createUser, db } from "../_support/db.ts";
import { department, joinDepartment } from "../_support/tickets.ts";
import { changeStatus, openTicket } from "../../lib/tickets/store.ts";
import { LOCALES, type MessageKey, translate } from "../../lib/i18n/mod.ts";

async function latest(userId: string, event: string): Promise<{ title: string; body: string }> {
  const [row] = (await sql<{ title: string; body: string }>`select title, body from public.notifications
    where user_id = ${userId}::uuid and event = ${event} order by id desc limit 1`.execute(db())).rows;
  assert(row, `a ${event} notice`);
  return row;
}

Deno.test("[notification labels] the database's labels are the app's catalogue entries", async () => {
  const values = async (type: string) =>
    (await sql<{ v: string }>`select unnest(enum_range(null::${sql.raw(type)}))::text as v`.execute(db()))
      .rows
      .map((r) => r.v);
  const kinds = [
    { kind: "role", values: await values("public.app_role"), key: (v: string) => `role.${v}` },
    {
      kind: "ticket_status",
      values: await values("public.ticket_status"),
      key: (v: string) => `tickets.status.${v}`,
    },
  ];
  let compared = 0;
  for (const { kind, values: all, key } of kinds) {
    for (const value of all) {
      for (const locale of LOCALES) {
        const [{ label }] =
          (await sql<{ label: string }>`select notifications.label(${kind}, ${value}, ${locale})
          as label`.execute(db())).rows;
        assertEquals(label, translate(locale, key(value) as MessageKey), `${kind} ${value} ${locale}`);
        compared++;
      }
    }
  }
  assert(compared >= 20, `${compared} labels compared`);
});

Deno.test("[notification labels] a role change names the role in the reader's language", async () => {
  const fa = await createUser("lb-role-fa");
  const en = await createUser("lb-role-en");
  await sql`update public.profiles set locale = 'en' where id = ${en.id}`.execute(db());
  for (const user of [fa, en]) {
    await sql`insert into public.user_roles (user_id, role) values (${user.id}, 'finance')`.execute(db());
  }
  const faNotice = await latest(fa.id, "security.role_changed");
  assert(faNotice.body.includes("مالی") && !faNotice.body.includes("finance"), faNotice.body);
  const enNotice = await latest(en.id, "security.role_changed");
  assert(enNotice.body.includes("Finance") && !enNotice.body.includes("finance"), enNotice.body);
});

Deno.test("[notification labels] a ticket notice: the status as the customer pages name it, the number in Persian digits", async () => {
  const customer = await createUser("lb-customer");
  const agent = await createUser("lb-agent", { role: "agent" });
  const dept = await department("lb");
  await joinDepartment(agent.id, dept.id);
  const ticket = await asUser(
    customer.claims,
    (tx) => openTicket(tx, { subject: "Card declined", body: "Help", department: dept.code }),
  );
  await asUser(agent.claims, (tx) => changeStatus(tx, ticket.id, "pending"));
  const notice = await latest(customer.id, "ticket.status_changed");
  assert(notice.body.includes("در انتظار پاسخ شما") && !notice.body.includes("pending"), notice.body);
  assert(/TK-[۰-۹]+/.test(notice.title) && !/[0-9]/.test(notice.title), notice.title);
  // Agents read the number the same way in Persian (the new-ticket notice).
  const opened = await latest(agent.id, "ticket.opened");
  assert(/TK-[۰-۹]+/.test(opened.title), opened.title);
});

const AGENTS = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  edgeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  firefoxAndroid: "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
  samsungAndroid:
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
  safariMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
};

Deno.test("[notification labels] a user agent as people name the device", async () => {
  const name = async (agent: string, lang: string) =>
    (await sql<{ n: string | null }>`select notifications.device_name(${agent}, ${lang}) as n`.execute(db()))
      .rows[0].n;
  assertEquals(await name(AGENTS.chromeWindows, "en"), "Chrome on Windows");
  assertEquals(await name(AGENTS.chromeWindows, "fa"), "Chrome روی Windows");
  assertEquals(await name(AGENTS.edgeWindows, "en"), "Edge on Windows");
  assertEquals(await name(AGENTS.safariIphone, "en"), "Safari on iPhone");
  assertEquals(await name(AGENTS.firefoxAndroid, "en"), "Firefox on Android");
  assertEquals(await name(AGENTS.samsungAndroid, "en"), "Samsung Internet on Android");
  assertEquals(await name(AGENTS.safariMac, "en"), "Safari on macOS");
  assertEquals(await name(AGENTS.firefoxLinux, "en"), "Firefox on Linux");
  assertEquals(await name("curl/8.5.0", "en"), null);
});

Deno.test("[notification labels] a new sign-in names the device, not its user agent", async () => {
  const user = await createUser("lb-sign-in");
  const session = (ip: string, agent: string) =>
    sql`insert into auth.sessions (id, user_id, ip, user_agent, created_at)
      values (gen_random_uuid(), ${user.id}, ${ip}::inet, ${agent}, now())`.execute(db());
  await session("10.1.0.1", AGENTS.firefoxAndroid); // the account's first device: not announced
  await session("172.16.4.2", AGENTS.chromeWindows);
  await session("172.17.5.3", "curl/8.5.0");
  const notices = (await sql<{ body: string }>`select body from public.notifications
    where user_id = ${user.id}::uuid and event = 'security.new_sign_in' order by id`.execute(db())).rows;
  assertEquals(notices.length, 2);
  assert(
    notices[0].body.includes("Chrome روی Windows") && !notices[0].body.includes("Mozilla"),
    notices[0].body,
  );
  // A user agent that names no browser or system is quoted.
  assert(notices[1].body.includes("curl/8.5.0"), notices[1].body);
});
