/**
 * Every event of issue 15 that notifies, driven through the SQL that makes the change (the hook runs in that
 * transaction; nothing is sent from route code): payment settled / failed / needs review, refund done,
 * withdrawal requested / paid / rejected, email changed, and on tickets a status change, an assignment, an
 * @mention, an SLA warning and breach. (transfer.received, ticket.replied / opened, password changed, new
 * sign-in and role changed: tests/integration/notifications_sql_test.ts.) Each event makes the in-app row and
 * one outbox row per channel the recipient has (email here).
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, asUser, createUser, db } from "../_support/db.ts";
import { fund, key, randomIban } from "../_support/ledger.ts";
import { department, joinDepartment } from "../_support/tickets.ts";
import { beginRefund, completeRefund } from "../../lib/payments/refund.ts";
import { assignTicket, changeStatus, openTicket, postMessage } from "../../lib/tickets/store.ts";
import { mentionAgents } from "../../lib/tickets/desk.ts";
import { approveWithdrawal, rejectWithdrawal, requestWithdrawal } from "../../lib/wallet/withdrawals.ts";

/** The events of a user's in-app rows and their outbox rows (event:channel), oldest first. */
async function told(userId: string) {
  const inApp = (await sql<{ event: string }>`select event from public.notifications
    where user_id = ${userId}::uuid order by id`.execute(db())).rows.map((r) => r.event);
  const outbox = (await sql<{ e: string }>`select event || ':' || channel as e from public.notification_outbox
    where user_id = ${userId}::uuid order by id`.execute(db())).rows.map((r) => r.e);
  return { inApp, outbox };
}

async function payment(userId: string, amount = 20_000): Promise<string> {
  const { rows: [p] } = await sql<{ id: string }>`insert into public.payments
      (user_id, amount, description, merchant_key, expires_at)
    values (${userId}, ${amount}, 'top-up', '0123456789abcdef', now() + interval '30 minutes')
    returning id::text`.execute(db());
  return p.id;
}

class Rollback extends Error {}

Deno.test("[notifications events] money: payment settled / failed / needs review, refund done, withdrawal requested / paid / rejected", async () => {
  const customer = await createUser("ev-money");
  const finance = await createUser("ev-finance", { role: "finance" });
  const admin = await createUser("ev-admin", { role: "admin" });

  const settled = await payment(customer.id);
  const { rows: [s] } = await asService((tx) =>
    sql<{ outcome: string }>`select outcome from payments.settle(${settled}::bigint, 20000)`.execute(tx)
  );
  assertEquals(s.outcome, "settled");
  const failed = await payment(customer.id);
  await sql`select payments.close(${failed}::bigint, 'failed'::public.payment_status, 'gateway_refused', -9)`
    .execute(db());
  const review = await payment(customer.id);
  await asService((tx) =>
    sql`select payments.flag_for_review(${review}::bigint, 'amount mismatch')`.execute(tx)
  );
  const refundId = await asUser(
    admin.claims,
    (tx) => beginRefund(tx, { paymentId: settled, reason: "customer asked", windowSeconds: 1800 }),
  );
  await asService((tx) => completeRefund(tx, refundId));

  await fund(customer.id, 1_000_000n);
  const paid = await asUser(
    customer.claims,
    (tx) => requestWithdrawal(tx, { amount: 100_000n, iban: randomIban(), idempotencyKey: key("w") }),
  );
  const rejected = await asUser(
    customer.claims,
    (tx) => requestWithdrawal(tx, { amount: 50_000n, iban: randomIban(), idempotencyKey: key("w") }),
  );
  const approval = await asUser(
    finance.claims,
    (tx) => approveWithdrawal(tx, { withdrawalId: paid.withdrawalId, bankReference: "REF-1" }),
  );
  assertEquals(approval.paid, true);
  await asUser(
    finance.claims,
    (tx) => rejectWithdrawal(tx, { withdrawalId: rejected.withdrawalId, reason: "IBAN closed" }),
  );

  const { inApp, outbox } = await told(customer.id);
  const money = [
    "payment.settled",
    "payment.failed",
    "payment.needs_review",
    "refund.done",
    "withdrawal.requested",
    "withdrawal.paid",
    "withdrawal.rejected",
  ];
  for (const event of money) {
    assertEquals(inApp.filter((e) => e === event).length, event === "withdrawal.requested" ? 2 : 1, event);
    assert(outbox.includes(`${event}:email`), `${event} by email: ${outbox.join(" ")}`);
  }
  const { rows: [rejection] } = await sql<{ body: string }>`select body from public.notifications
    where user_id = ${customer.id}::uuid and event = 'withdrawal.rejected'`.execute(db());
  assert(rejection.body.includes("IBAN closed"), rejection.body);
});

Deno.test("[notifications events] tickets: status change to the customer; assignment, @mention, SLA warning and breach to agents", async () => {
  const customer = await createUser("ev-customer");
  const agent = await createUser("ev-agent", { role: "agent" });
  const colleague = await createUser("ev-colleague", { role: "agent" });
  const dept = await department("ev");
  await joinDepartment(agent.id, dept.id);
  await joinDepartment(colleague.id, dept.id);
  const ticket = await asUser(
    customer.claims,
    (tx) => openTicket(tx, { subject: "Card declined", body: "Help", department: dept.code }),
  );
  await asUser(agent.claims, (tx) => assignTicket(tx, ticket.id, agent.id));
  const note = await asUser(
    agent.claims,
    (tx) => postMessage(tx, ticket.id, "@colleague can you look?", { internal: true }),
  );
  await asUser(agent.claims, (tx) => mentionAgents(tx, note.id, [colleague.id]));
  await asUser(agent.claims, (tx) => changeStatus(tx, ticket.id, "pending"));

  assert((await told(customer.id)).inApp.includes("ticket.status_changed"));
  assert((await told(customer.id)).outbox.includes("ticket.status_changed:email"));
  assert((await told(agent.id)).inApp.includes("ticket.assigned"));
  assert((await told(colleague.id)).inApp.includes("ticket.mentioned"));

  // The SLA job over a ticket whose targets have passed: the warning and the breach go to its assignee. The job
  // looks at every ticket, so it runs in a transaction that is rolled back (other tests' tickets stay as they are).
  await asUser(agent.claims, (tx) => changeStatus(tx, ticket.id, "open"));
  const warned = await asUser(
    customer.claims,
    (tx) => openTicket(tx, { subject: "Second", body: "Also", department: dept.code }),
  );
  await asUser(agent.claims, (tx) => assignTicket(tx, warned.id, agent.id));
  const seen: string[] = [];
  try {
    await db().transaction().execute(async (tx) => {
      await sql`update public.tickets set first_responded_at = null,
          first_response_warn_at = now() - interval '2 hours', first_response_due_at = now() - interval '1 hour',
          sla_warning = false, sla_breached = false
        where id = ${ticket.id}::bigint`.execute(tx);
      await sql`update public.tickets set first_responded_at = null,
          first_response_warn_at = now() - interval '1 minute', first_response_due_at = now() + interval '1 hour',
          sla_warning = false, sla_breached = false
        where id = ${warned.id}::bigint`.execute(tx);
      await sql`select tickets.check_sla()`.execute(tx);
      seen.push(
        ...(await sql<
          { event: string }
        >`select event from public.notifications where user_id = ${agent.id}::uuid
          and event like 'ticket.sla_%' order by id`.execute(tx)).rows.map((r) => r.event),
      );
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  // A breach also sets the warning flag, so that ticket tells once (breach); the other one warns.
  assertEquals(seen, ["ticket.sla_breach", "ticket.sla_warning"]);
});

Deno.test("[notifications events] security: an email change tells the account, critically", async () => {
  const user = await createUser("ev-email");
  await sql`update auth.users set email = ${`changed-${user.email}`} where id = ${user.id}`.execute(db());
  const { rows } = await sql<{ event: string; critical: boolean }>`select event, critical
    from public.notification_outbox where user_id = ${user.id}::uuid and event = 'security.email_changed'`
    .execute(db());
  assert(rows.length >= 1 && rows.every((r) => r.critical), JSON.stringify(rows));
  assert((await told(user.id)).inApp.includes("security.email_changed"));
});
