/**
 * lib/tickets/live.ts: every new ticket message is announced on `ticket_message` (ids only) to the
 * subscribers of its ticket, its customer and the whole queue; `visibleMessage` re-reads it under the
 * reader's RLS, so a customer never gets an internal note even though the note is announced.
 */
import { assertEquals } from "@std/assert";
import { asUser, createUser } from "../_support/db.ts";
import { openTicket, postMessage } from "../../lib/tickets/store.ts";
import { subscribeTicketMessages, type TicketMessageEvent, visibleMessage } from "../../lib/tickets/live.ts";

/**
 * Collects the events a subscriber gets; `until(done)` resolves once `done(events)` holds (checked on each
 * event), or rejects after `ms` with what did arrive. The tests run in parallel against one database, so the
 * queue ("all") also hears other files' tickets: wait for this test's own messages, never for a count.
 */
function collect() {
  const events: TicketMessageEvent[] = [];
  const waiters = new Set<() => void>();
  const listener = (event: TicketMessageEvent) => {
    events.push(event);
    for (const check of waiters) check();
  };
  const until = async (done: (events: TicketMessageEvent[]) => boolean, ms = 5000) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let check!: () => void;
    try {
      await new Promise<void>((resolve, reject) => {
        check = () => done(events) && resolve();
        waiters.add(check);
        check();
        timer = setTimeout(
          () => reject(new Error(`waited ${ms} ms; got ${JSON.stringify(events.map((e) => e.message_id))}`)),
          ms,
        );
      });
    } finally {
      waiters.delete(check);
      clearTimeout(timer);
    }
    return events;
  };
  return { listener, until, events };
}

/** True once every message id in `ids` has been heard. */
const heard = (ids: string[]) => (events: TicketMessageEvent[]) =>
  ids.every((id) => events.some((e) => e.message_id === id));

Deno.test("[tickets live] messages are announced by ticket, customer and queue; internal notes stay staff-only", async () => {
  const [alice, bob, agent] = [
    await createUser("live-alice"),
    await createUser("live-bob"),
    await createUser("live-agent", { role: "agent" }),
  ];
  const ticket = await asUser(alice.claims, (tx) => openTicket(tx, { subject: "live", body: "hello" }));
  const other = await asUser(bob.claims, (tx) => openTicket(tx, { subject: "other", body: "x" }));
  // Stands for the other test files that post ticket messages while this one listens (they run in parallel).
  const carol = await createUser("live-carol");
  const elsewhere = await asUser(carol.claims, (tx) => openTicket(tx, { subject: "elsewhere", body: "y" }));

  const byTicket = collect();
  const byCustomer = collect();
  const queue = collect();
  const stops = [
    await subscribeTicketMessages({ ticketId: ticket.id }, byTicket.listener),
    await subscribeTicketMessages({ customerId: alice.id }, byCustomer.listener),
    await subscribeTicketMessages("all", queue.listener),
  ];
  try {
    const reply = await asUser(agent.claims, (tx) => postMessage(tx, ticket.id, "we are on it"));
    const note = await asUser(
      agent.claims,
      (tx) => postMessage(tx, ticket.id, "bank delay", { internal: true }),
    );
    await asUser(carol.claims, (tx) => postMessage(tx, elsewhere.id, "another test's message"));
    const bobs = await asUser(bob.claims, (tx) => postMessage(tx, other.id, "bob's own"));

    const ticketEvents = await byTicket.until(heard([reply.id, note.id]));
    assertEquals(ticketEvents.map((e) => [e.message_id, e.internal, e.author_role]), [
      [reply.id, false, "staff"],
      [note.id, true, "staff"],
    ]);
    assertEquals(
      (await byCustomer.until(heard([reply.id, note.id]))).map((e) => [e.message_id, e.customer_id]),
      [[reply.id, alice.id], [note.id, alice.id]],
    );
    // The queue hears every ticket: this test's three messages (among whatever other tests post meanwhile).
    const all = await queue.until(heard([reply.id, note.id, bobs.id]));
    assertEquals(
      all.filter((e) => [ticket.id, other.id].includes(e.ticket_id)).map((e) => [e.ticket_id, e.message_id]),
      [[ticket.id, reply.id], [ticket.id, note.id], [other.id, bobs.id]],
    );

    // The re-read decides visibility: the customer gets the reply, not the note; a stranger gets neither.
    assertEquals((await asUser(alice.claims, (tx) => visibleMessage(tx, reply.id)))?.body, "we are on it");
    assertEquals(await asUser(alice.claims, (tx) => visibleMessage(tx, note.id)), undefined);
    assertEquals(await asUser(bob.claims, (tx) => visibleMessage(tx, reply.id)), undefined);
    assertEquals((await asUser(agent.claims, (tx) => visibleMessage(tx, note.id)))?.internal, true);
    assertEquals(await asUser(agent.claims, (tx) => visibleMessage(tx, "not-an-id")), undefined);
    assertEquals(
      byTicket.events.length,
      2,
      "another ticket's message is not sent to this ticket's subscribers",
    );
  } finally {
    for (const stop of stops) await stop();
  }
});
