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
