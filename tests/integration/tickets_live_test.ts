/**
 * lib/tickets/live.ts: every new ticket message is announced on `ticket_message` (ids only) to the
 * subscribers of its ticket, its customer and the whole queue; `visibleMessage` re-reads it under the
 * reader's RLS, so a customer never gets an internal note even though the note is announced.
 */
import { assert, assertEquals } from "@std/assert";
import { asUser, createUser } from "../_support/db.ts";
import { openTicket, postMessage } from "../../lib/tickets/store.ts";
import { subscribeTicketMessages, type TicketMessageEvent, visibleMessage } from "../../lib/tickets/live.ts";

/** Resolves with the first `n` events a subscriber gets, or rejects after `ms`. */
function collect(n: number, ms = 5000) {
  const events: TicketMessageEvent[] = [];
  let done!: () => void;
  const arrived = new Promise<void>((resolve) => done = resolve);
  const listener = (event: TicketMessageEvent) => {
    events.push(event);
    if (events.length === n) done();
  };
  const wait = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      arrived,
      new Promise((_, reject) => timer = setTimeout(() => reject(new Error(`${events.length}/${n}`)), ms)),
    ]).finally(() => clearTimeout(timer));
    return events;
  };
  return { listener, wait, events };
}

Deno.test("[tickets live] messages are announced by ticket, customer and queue; internal notes stay staff-only", async () => {
  const [alice, bob, agent] = [
    await createUser("live-alice"),
    await createUser("live-bob"),
    await createUser("live-agent", { role: "agent" }),
  ];
  const ticket = await asUser(alice.claims, (tx) => openTicket(tx, { subject: "live", body: "hello" }));
  const other = await asUser(bob.claims, (tx) => openTicket(tx, { subject: "other", body: "x" }));

  const byTicket = collect(2);
  const byCustomer = collect(2);
  const queue = collect(3);
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
    await asUser(bob.claims, (tx) => postMessage(tx, other.id, "bob's own"));

    const ticketEvents = await byTicket.wait();
    assertEquals(ticketEvents.map((e) => [e.message_id, e.internal, e.author_role]), [
      [reply.id, false, "staff"],
      [note.id, true, "staff"],
    ]);
    assertEquals((await byCustomer.wait()).map((e) => e.customer_id), [alice.id, alice.id]);
    const all = await queue.wait();
    assert(all.some((e) => e.ticket_id === other.id), "the queue hears every ticket");

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
