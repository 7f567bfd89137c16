// routes/admin/tickets/events.ts — Server-Sent Events for the staff pages: GET /admin/tickets/events (new
// customer messages on any ticket, for the queue) and GET /admin/tickets/:id/events (new messages on one
// ticket, internal notes included, and the presence of other agents, polled from Postgres); tickets.manage
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../../../lib/http/env.ts";
import { asUser } from "../../../lib/db/client.ts";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { emailsByIds } from "../../../lib/users/admin.ts";
import { leavePresence, presenceOn, touchPresence } from "../../../lib/tickets/desk.ts";
import {
  subscribeTicketMessages,
  type TicketMessageEvent,
  visibleMessage,
} from "../../../lib/tickets/live.ts";
import { ticketParams } from "./_shared.ts";

/** Streams end after this long and the browser reconnects (with a freshly refreshed session cookie). */
const MAX_STREAM_MS = 15 * 60_000;
/** How often the presence of other agents is read again, and this agent's own presence renewed. */
const PRESENCE_POLL_MS = 3_000;
const PRESENCE_RENEW_MS = 30_000;

/** Waits until `wake` is called or `ms` pass. */
function pause(ms: number, arm: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      resolve();
    }
    arm(done);
  });
}

export const adminTicketEvents = new Hono<AppEnv>()
  .get("/events", requirePermission("tickets.manage"), (c) => {
    const claims = c.var.user();
    return streamSSE(c, async (stream) => {
      const events: TicketMessageEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = await subscribeTicketMessages("all", (event) => {
        if (event.author_role !== "customer") return;
        events.push(event);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        await stream.write(": open\n\n");
        const ends = Date.now() + MAX_STREAM_MS;
        while (!stream.aborted && !stream.closed && Date.now() < ends) {
          if (events.length === 0) await pause(20_000, (w) => wake = w);
          for (const event of events.splice(0)) {
            const ticket = await asUser(
              claims,
              (tx) =>
                tx.selectFrom("tickets").select(["id", "number", "subject"]).where("id", "=", event.ticket_id)
                  .executeTakeFirst(),
            );
            if (!ticket) continue;
            await stream.writeSSE({
              event: "message",
              data: JSON.stringify({
                ticket_id: String(ticket.id),
                number: ticket.number,
                subject: ticket.subject,
              }),
            });
          }
          if (events.length === 0) await stream.write(": keep-alive\n\n");
        }
      } finally {
        await unsubscribe();
      }
    });
  })
  .get("/:id/events", requirePermission("tickets.manage"), validate("param", ticketParams), (c) => {
    const claims = c.var.user();
    const { id } = c.req.valid("param");
    return streamSSE(c, async (stream) => {
      const events: TicketMessageEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = await subscribeTicketMessages({ ticketId: id }, (event) => {
        events.push(event);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        await asUser(claims, (tx) => touchPresence(tx, id, "viewing"));
        await stream.write(": open\n\n");
        let shown = "";
        let renewAt = Date.now() + PRESENCE_RENEW_MS;
        const ends = Date.now() + MAX_STREAM_MS;
        while (!stream.aborted && !stream.closed && Date.now() < ends) {
          for (const event of events.splice(0)) {
            const message = await asUser(claims, (tx) => visibleMessage(tx, event.message_id));
            if (!message) continue;
            const emails = message.authorId
              ? await asUser(claims, (tx) => emailsByIds(tx, [message.authorId!]))
              : new Map<string, string>();
            await stream.writeSSE({
              event: "message",
              data: JSON.stringify({
                id: message.id,
                author_role: message.authorRole,
                author: message.authorRole === "staff" ? emails.get(message.authorId ?? "") ?? "" : "",
                body: message.body,
                internal: message.internal,
                created_at: message.createdAt.toISOString(),
              }),
            });
          }
          if (Date.now() >= renewAt) {
            await asUser(claims, (tx) => touchPresence(tx, id, "viewing"));
            renewAt = Date.now() + PRESENCE_RENEW_MS;
          }
          const presence = await asUser(claims, (tx) => presenceOn(tx, id, claims.sub));
          const now = JSON.stringify(presence.map((p) => ({ email: p.email, state: p.state })));
          if (now !== shown) {
            shown = now;
            await stream.writeSSE({ event: "presence", data: now });
          }
          if (events.length === 0) await pause(PRESENCE_POLL_MS, (w) => wake = w);
        }
      } finally {
        await unsubscribe();
        await asUser(claims, (tx) => leavePresence(tx, id)).catch(() => {});
      }
    });
  });
