import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asUser, createUser, db } from "../_support/db.ts";
import { openDatabase } from "../../lib/db/client.ts";
import { ticketErrors } from "../../lib/tickets/errors.ts";
import {
  addAttachment,
  assignRoundRobin,
  changeStatus,
  getTicket,
  listCustomerTickets,
  listQueue,
  mergeTickets,
  openTicket,
  postMessage,
  rateTicket,
} from "../../lib/tickets/store.ts";
import { department, joinDepartment } from "../_support/tickets.ts";

const url = Deno.env.get("DATABASE_URL")!;

Deno.test("[tickets round-robin] 60 concurrent openings share a department fairly among its 3 available agents", async () => {
  const dept = await department();
  const agents = await Promise.all([1, 2, 3].map((n) => createUser(`rr-agent-${n}`, { role: "agent" })));
  const away = await createUser("rr-away", { role: "agent" });
  for (const agent of agents) await joinDepartment(agent.id, dept.id);
  await joinDepartment(away.id, dept.id, false);
  const customers = await Promise.all(Array.from({ length: 6 }, (_, n) => createUser(`rr-customer-${n}`)));

  const pool = openDatabase(url, { max: 30 });
  try {
    const opened = await Promise.all(
      Array.from(
        { length: 60 },
        (_, n) =>
          asUser(
            customers[n % 6].claims,
            (tx) => openTicket(tx, { subject: `rr ${n}`, body: "round robin", department: dept.code }),
            pool,
          ),
      ),
    );
    assertEquals(opened.length, 60);
  } finally {
    await pool.destroy();
  }
  const { rows } = await sql<{ assignee_id: string | null; n: number }>`
    select assignee_id, count(*)::int as n from public.tickets
    where department_id = ${dept.id} group by assignee_id order by assignee_id`.execute(db());
  assertEquals(
    rows.map((r) => r.n),
    [20, 20, 20],
    `each available agent gets a third, the unavailable one none: ${JSON.stringify(rows)}`,
  );
  assertEquals(new Set(rows.map((r) => r.assignee_id)), new Set(agents.map((a) => a.id)));
});

Deno.test("[tickets round-robin] staff reassignment takes the next turn; with nobody available it answers null", async () => {
  const dept = await department();
  const [a, b] = [await createUser("rr2-a", { role: "agent" }), await createUser("rr2-b", { role: "agent" })];
  await joinDepartment(a.id, dept.id);
  await joinDepartment(b.id, dept.id);
  const customer = await createUser("rr2-customer");
  const first = await asUser(
    customer.claims,
    (tx) => openTicket(tx, { subject: "one", body: "x", department: dept.code }),
  );
  const second = await asUser(b.claims, (tx) => assignRoundRobin(tx, first.id));
  assert(second !== first.assigneeId, "the next turn goes to the other agent");
  await sql`update public.ticket_agents set available = false where user_id in (${a.id}, ${b.id})`.execute(
    db(),
  );
  assertEquals(await asUser(a.claims, (tx) => assignRoundRobin(tx, first.id)), null);
  const refused = await asUser(customer.claims, (tx) => assignRoundRobin(tx, first.id)).catch((e) => e);
  assert(ticketErrors.is(refused, "ticket_not_permitted"), `a customer cannot assign: ${refused}`);
});

Deno.test("[tickets store] thread, internal notes, lists and search as customer, stranger and agent", async () => {
  const [alice, mallory, agent] = [
    await createUser("tk-alice"),
    await createUser("tk-mallory"),
    await createUser("tk-agent", { role: "agent" }),
  ];
  const ticket = await asUser(
    alice.claims,
    (tx) =>
      openTicket(tx, {
        subject: "شارژ كيف پول ۱۲۳",
        body: "پرداخت انجام شد ولی کیف‌پول شارژ نشد",
        priority: "high",
      }),
  );
  assertEquals([ticket.status, ticket.priority, ticket.customerId], ["open", "high", alice.id]);

  await asUser(agent.claims, async (tx) => {
    await postMessage(tx, ticket.id, "بررسی می‌کنیم");
    await postMessage(tx, ticket.id, "internal: bank delay", { internal: true });
  });

  await asUser(
    alice.claims,
    (tx) => addAttachment(tx, ticket.id, { name: "رسید.png", size: 2048, mime: "image/png" }),
  );
  const asCustomer = await asUser(alice.claims, (tx) => getTicket(tx, ticket.id));
  assertEquals(asCustomer?.attachments.map((a) => [a.path, a.size]), [[`${ticket.id}/رسید.png`, 2048]]);
  assertEquals(asCustomer?.messages.map((m) => [m.authorRole, m.internal]), [["staff", false]]);
  const asAgent = await asUser(agent.claims, (tx) => getTicket(tx, ticket.id));
  assertEquals(asAgent?.messages.map((m) => m.internal), [false, true]);
  assert(asAgent?.firstRespondedAt, "the public reply is the first response");

  assertEquals(await asUser(mallory.claims, (tx) => getTicket(tx, ticket.id)), undefined);
  const refused = await asUser(mallory.claims, (tx) => postMessage(tx, ticket.id, "hi")).catch((e) => e);
  assert(ticketErrors.is(refused, "ticket_not_found"), `another user's ticket is not found: ${refused}`);
  const internal = await asUser(alice.claims, (tx) => postMessage(tx, ticket.id, "x", { internal: true }))
    .catch((e) => e);
  assert(ticketErrors.is(internal, "ticket_internal_not_allowed"));

  // Search folds Arabic letters, ZWNJ and digits: the customer types Arabic ي/ك and Latin digits.
  const found = await asUser(alice.claims, (tx) => listCustomerTickets(tx, alice.id, { q: "شارژ كيف 123" }));
  assertEquals(found.items.map((t) => t.id), [ticket.id]);
  const byNumber = await asUser(
    alice.claims,
    (tx) => listCustomerTickets(tx, alice.id, { q: ticket.number }),
  );
  assertEquals(byNumber.items.map((t) => t.id), [ticket.id]);
  const zwnj = await asUser(
    alice.claims,
    (tx) => listCustomerTickets(tx, alice.id, { q: "کیف پول شارژ نشد" }),
  );
  assertEquals(zwnj.items.map((t) => t.id), [ticket.id]);
  assertEquals((await asUser(mallory.claims, (tx) => listCustomerTickets(tx, alice.id, {}))).items, []);

  // Keyset pages and the status filter.
  const second = await asUser(alice.claims, (tx) => openTicket(tx, { subject: "دوم", body: "b" }));
  const page1 = await asUser(alice.claims, (tx) => listCustomerTickets(tx, alice.id, { limit: 1 }));
  assertEquals(page1.items.map((t) => t.id), [second.id]);
  const page2 = await asUser(
    alice.claims,
    (tx) => listCustomerTickets(tx, alice.id, { limit: 1, cursor: page1.nextCursor! }),
  );
  assertEquals([page2.items.map((t) => t.id), page2.nextCursor], [[ticket.id], null]);

  // Staff: pending filter, then merge and rating.
  await asUser(agent.claims, (tx) => changeStatus(tx, ticket.id, "pending"));
  const pending = await asUser(
    agent.claims,
    (tx) => listQueue(tx, agent.id, { filter: "pending", limit: 100 }),
  );
  assert(pending.items.some((t) => t.id === ticket.id));
  assertEquals(
    (await asUser(alice.claims, (tx) => listQueue(tx, alice.id, { q: "شارژ" }))).items
      .every((t) => t.customerId === alice.id),
    true,
    "a customer's queue is only their own tickets (RLS)",
  );

  const merged = await asUser(agent.claims, (tx) => mergeTickets(tx, second.id, ticket.id));
  assertEquals(merged.id, ticket.id);
  const source = await asUser(alice.claims, (tx) => getTicket(tx, second.id));
  assertEquals([source?.status, source?.mergedInto], ["closed", ticket.id]);
  const survivor = await asUser(alice.claims, (tx) => getTicket(tx, ticket.id));
  assert(survivor?.messages.some((m) => m.body.startsWith("دوم")), "the merged ticket's thread moved");

  await asUser(agent.claims, (tx) => changeStatus(tx, ticket.id, "resolved"));
  const rated = await asUser(alice.claims, (tx) => rateTicket(tx, ticket.id, 5, "عالی"));
  assertEquals(rated.csatScore, 5);
  const again = await asUser(alice.claims, (tx) => rateTicket(tx, ticket.id, 4)).catch((e) => e);
  assert(ticketErrors.is(again, "ticket_already_rated"), `rated once only: ${again}`);
});

Deno.test("[tickets search] a search with a filter that the newest matches fail goes on to older matches, page by page", async () => {
  const carol = await createUser("search-rounds");
  const agent = await createUser("search-rounds-agent", { role: "agent" });
  const word = `rounds${crypto.randomUUID().slice(0, 6)}`;
  const opened = [];
  for (let n = 0; n < 60; n++) {
    opened.push(await asUser(carol.claims, (tx) => openTicket(tx, { subject: `${word} ${n}`, body: "تست" })));
  }
  // Only the two oldest matches are closed: the first rounds of newest matches hold none of them.
  for (const ticket of opened.slice(0, 2)) {
    await asUser(carol.claims, (tx) => changeStatus(tx, ticket.id, "closed"));
  }

  const first = await asUser(
    carol.claims,
    (tx) => listCustomerTickets(tx, carol.id, { q: word, status: "closed", limit: 1 }),
  );
  assertEquals(first.items.map((t) => t.id), [opened[1].id]);
  assert(first.nextCursor);
  const second = await asUser(
    carol.claims,
    (tx) =>
      listCustomerTickets(tx, carol.id, { q: word, status: "closed", limit: 1, cursor: first.nextCursor! }),
  );
  assertEquals([second.items.map((t) => t.id), second.nextCursor], [[opened[0].id], null]);

  const queue = await asUser(
    agent.claims,
    (tx) => listQueue(tx, agent.id, { q: word, status: "closed", limit: 5 }),
  );
  assertEquals([queue.items.map((t) => t.id), queue.nextCursor], [[opened[1].id, opened[0].id], null]);
  const all = await asUser(agent.claims, (tx) => listQueue(tx, agent.id, { q: word, limit: 25 }));
  assertEquals(all.items.map((t) => t.id), opened.slice(35).reverse().map((t) => t.id));
});
