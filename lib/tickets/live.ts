/**
 * Live ticket threads for this process, through the `ticket_message` LISTEN hub (lib/db/listen.ts), fanned
 * out by topic: one ticket, one customer's tickets, or every ticket (the staff queue).
 *
 * The database announces each new message by ids only (migration 20261129180000_notify_ticket_messages.sql).
 * A subscriber that shows the message reads it again with `visibleMessage` in its own `asUser` transaction:
 * RLS then decides, so an internal note never reaches a customer even though its announcement does.
 *
 *   const stop = await subscribeTicketMessages({ ticketId }, (event) => queue.push(event));
 *   const message = await c.var.asUser((tx) => visibleMessage(tx, event.message_id)); // undefined: not yours
 */
import type { Tx } from "../db/client.ts";
import { listenHub } from "../db/listen.ts";
import { type TicketMessage, toAttachment, toMessage } from "./store.ts";

/** One announced message (ids as strings). `internal` lets a customer-facing listener skip notes early. */
export interface TicketMessageEvent {
  ticket_id: string;
  message_id: string;
  customer_id: string | null;
  author_role: "customer" | "staff" | "system";
  internal: boolean;
}

/** What to listen to: one ticket, one customer's tickets, or all tickets (staff queue). */
export type TicketTopic = { ticketId: string } | { customerId: string } | "all";

type Listener = (event: TicketMessageEvent) => void;

/** Each announcement reaches the queue ("all"), its ticket's and its customer's subscribers. */
const hub = listenHub<TicketMessageEvent>("ticket_message", (event) => [
  "all",
  `ticket:${event.ticket_id}`,
  ...(event.customer_id ? [`customer:${event.customer_id}`] : []),
]);

function key(topic: TicketTopic): string {
  if (topic === "all") return "all";
  return "ticketId" in topic ? `ticket:${topic.ticketId}` : `customer:${topic.customerId}`;
}

/** Calls `listener` with every new message announced for `topic`; resolves once listening. */
export function subscribeTicketMessages(
  topic: TicketTopic,
  listener: Listener,
): Promise<() => Promise<void>> {
  return hub.subscribe(key(topic), listener);
}

/** How many listeners `topic` has in this process (a stream whose client left must not stay subscribed). */
export function ticketSubscriberCount(topic: TicketTopic): number {
  return hub.subscriberCount(key(topic));
}

/** The message `messageId` with its attachments as the caller may see it (RLS), or undefined. */
export async function visibleMessage(tx: Tx, messageId: string): Promise<TicketMessage | undefined> {
  if (!/^[1-9]\d{0,18}$/.test(messageId)) return undefined;
  const row = await tx.selectFrom("ticket_messages").selectAll().where("id", "=", messageId)
    .executeTakeFirst();
  if (!row) return undefined;
  const files = await tx.selectFrom("ticket_attachments").selectAll().where("message_id", "=", messageId)
    .orderBy("id").execute();
  return toMessage(row, files.map(toAttachment));
}
