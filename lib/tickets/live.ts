/**
 * Live ticket threads for this process: one LISTEN connection on `ticket_message` (opened with the first
 * subscriber, closed with the last; like lib/wallet/live_feed.ts) fanned out in memory by topic: one ticket,
 * one customer's tickets, or every ticket (the staff queue).
 *
 * The database announces each new message by ids only (migration 20261129180000_notify_ticket_messages.sql).
 * A subscriber that shows the message reads it again with `visibleMessage` in its own `asUser` transaction:
 * RLS then decides, so an internal note never reaches a customer even though its announcement does.
 *
 *   const stop = await subscribeTicketMessages({ ticketId }, (event) => queue.push(event));
 *   const message = await c.var.asUser((tx) => visibleMessage(tx, event.message_id)); // undefined: not yours
 */
import postgres from "postgres";
import type { Tx } from "../db/client.ts";
import { config } from "../config.ts";
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

const CHANNEL = "ticket_message";
const subscribers = new Map<string, Set<Listener>>();
let connection: { sql: postgres.Sql; ready: Promise<unknown> } | undefined;

function key(topic: TicketTopic): string {
  if (topic === "all") return "all";
  return "ticketId" in topic ? `ticket:${topic.ticketId}` : `customer:${topic.customerId}`;
}

function dispatch(payload: string) {
  let event: TicketMessageEvent;
  try {
    event = JSON.parse(payload);
  } catch {
    return;
  }
  const keys = ["all", `ticket:${event.ticket_id}`];
  if (event.customer_id) keys.push(`customer:${event.customer_id}`);
  for (const k of keys) {
    for (const listener of subscribers.get(k) ?? []) listener(event);
  }
}

async function close(current: NonNullable<typeof connection>) {
  if (connection === current) connection = undefined;
  await current.sql.end({ timeout: 1 }).catch(() => {});
}

/**
 * Calls `listener` with every message announced for `topic` (internal notes included: filter or re-read with
 * `visibleMessage`). Resolves once listening, with the function that unsubscribes.
 */
export async function subscribeTicketMessages(
  topic: TicketTopic,
  listener: Listener,
): Promise<() => Promise<void>> {
  if (!connection) {
    const sql = postgres(config().databaseListenUrl, { max: 1, onnotice: () => {} });
    connection = { sql, ready: sql.listen(CHANNEL, dispatch) };
  }
  const current = connection;
  const k = key(topic);
  let set = subscribers.get(k);
  if (!set) subscribers.set(k, set = new Set());
  set.add(listener);
  const unsubscribe = async () => {
    const listeners = subscribers.get(k);
    listeners?.delete(listener);
    if (listeners?.size === 0) subscribers.delete(k);
    if (subscribers.size === 0) await close(current);
  };
  try {
    await current.ready;
  } catch (error) {
    // The database refused the LISTEN: forget this connection so the next subscriber opens a new one.
    await unsubscribe();
    await close(current);
    throw error;
  }
  return unsubscribe;
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
