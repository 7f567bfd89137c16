// routes/api/v1/tickets.ts — the help desk API: POST/GET /api/v1/tickets, GET/PATCH /api/v1/tickets/:id,
// POST /api/v1/tickets/:id/messages (with files uploaded to Storage beforehand), POST /api/v1/tickets/:id/rating,
// GET /api/v1/tickets/:id/events (SSE).
// Another user's ticket is a 404 (the store answers ticket_not_found); every write runs in one transaction,
// so a refused PATCH changes nothing.
import { streamSSE } from "hono/streaming";
import { apiInput, requireJson } from "../../../lib/api/input.ts";
import { userRoutes } from "../../../lib/auth/guards.ts";
import { can } from "../../../lib/auth/viewer.ts";
import { asUser, type Tx } from "../../../lib/db/client.ts";
import type { AppContext } from "../../../lib/http/env.ts";
import {
  MessageBody,
  messageJson,
  OpenTicketBody,
  RatingBody,
  ticketDetailJson,
  ticketJson,
  TicketParam,
  TicketsQuery,
  UpdateTicketBody,
} from "../../../lib/tickets/api.ts";
import { ticketErrors } from "../../../lib/tickets/errors.ts";
import { recordAttachment } from "../../../lib/tickets/attachments.ts";
import {
  subscribeTicketMessages,
  type TicketMessageEvent,
  visibleMessage,
} from "../../../lib/tickets/live.ts";
import {
  assignTicket,
  changeStatus,
  getTicket,
  listCustomerTickets,
  listDepartments,
  listQueue,
  openTicket,
  postMessage,
  rateTicket,
  reclassifyTicket,
  setTags,
  type Ticket,
  type TicketStatus,
} from "../../../lib/tickets/store.ts";

/** Keep-alive comment interval, and how long a stream lasts before the client reconnects (Last-Event-ID). */
const KEEP_ALIVE_MS = 20_000;
const MAX_STREAM_MS = 15 * 60_000;

/** Help desk staff with ticket permission, working someone else's ticket (their own ticket makes them a customer). */
function staffOn(c: AppContext, ticket?: Ticket): boolean {
  return can(c.var.viewer, "tickets.manage") && ticket?.customerId !== c.var.user().sub;
}

/** The ticket as the caller may see it (RLS), or the 404 refusal. */
async function visibleTicket(tx: Tx, id: string) {
  const ticket = await getTicket(tx, id);
  if (!ticket) throw ticketErrors.refuse("ticket_not_found");
  return ticket;
}

const CUSTOMER_STATUSES: readonly TicketStatus[] = ["closed", "reopened"];

export const ticketsApi = userRoutes()
  .post("/", requireJson, apiInput("json", OpenTicketBody), async (c) => {
    const body = c.req.valid("json");
    const json = await c.var.asUser(async (tx) => {
      const ticket = await openTicket(tx, {
        subject: body.subject,
        body: body.body,
        department: body.department,
        priority: body.priority,
        paymentId: body.payment_id,
        withdrawalId: body.withdrawal_id,
        channel: "api",
      });
      return ticketJson(ticket, await listDepartments(tx), false);
    });
    return c.json(json, 201);
  })
  .get("/", apiInput("query", TicketsQuery), async (c) => {
    const q = c.req.valid("query");
    const staff = staffOn(c);
    const json = await c.var.asUser(async (tx) => {
      const filter = { status: q.status, q: q.q, cursor: q.cursor, limit: q.limit };
      const page = staff
        ? await listQueue(tx, c.var.user().sub, filter)
        : await listCustomerTickets(tx, c.var.user().sub, filter);
      const departments = await listDepartments(tx);
      return {
        items: page.items.map((t) => ticketJson(t, departments, staffOn(c, t))),
        next_cursor: page.nextCursor,
      };
    });
    return c.json(json);
  })
  .get("/:id", apiInput("param", TicketParam), async (c) => {
    const { id } = c.req.valid("param");
    const json = await c.var.asUser(async (tx) => {
      const ticket = await visibleTicket(tx, id);
      return ticketDetailJson(ticket, await listDepartments(tx), staffOn(c, ticket));
    });
    return c.json(json);
  })
  .patch(
    "/:id",
    requireJson,
    apiInput("param", TicketParam),
    apiInput("json", UpdateTicketBody),
    async (c) => {
      const { id } = c.req.valid("param");
      const change = c.req.valid("json");
      const json = await c.var.asUser(async (tx) => {
        const current = await visibleTicket(tx, id);
        const staff = staffOn(c, current);
        const staffOnly = change.assignee_id !== undefined || change.priority !== undefined ||
          change.department !== undefined || change.tags !== undefined;
        if (!staff && (staffOnly || (change.status && !CUSTOMER_STATUSES.includes(change.status)))) {
          throw ticketErrors.refuse(
            "ticket_not_permitted",
            {},
            "Customers may only close and reopen a ticket.",
          );
        }
        let ticket: Ticket = current;
        // Reopening comes first (a closed ticket takes no other change); any other status change comes last.
        const reopening = change.status === "open" || change.status === "reopened";
        if (change.status && reopening) ticket = await changeStatus(tx, id, change.status);
        if (change.priority !== undefined || change.department !== undefined) {
          ticket = await reclassifyTicket(tx, id, {
            priority: change.priority,
            department: change.department,
          });
        }
        if (change.assignee_id !== undefined) ticket = await assignTicket(tx, id, change.assignee_id);
        if (change.tags !== undefined) ticket = await setTags(tx, id, change.tags);
        if (change.status && !reopening) ticket = await changeStatus(tx, id, change.status);
        return ticketJson(ticket, await listDepartments(tx), staff);
      });
      return c.json(json);
    },
  )
  .post(
    "/:id/messages",
    requireJson,
    apiInput("param", TicketParam),
    apiInput("json", MessageBody),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      // One transaction: a file that was not uploaded (or is too large, or of another type) refuses the
      // whole message.
      const message = await c.var.asUser(async (tx) => {
        const message = await postMessage(tx, id, body.body, { internal: body.internal });
        for (const file of body.attachments ?? []) {
          const name = file.name ?? file.path.slice(file.path.indexOf("/") + 1);
          message.attachments.push(await recordAttachment(tx, id, message.id, file.path, name));
        }
        return message;
      });
      return c.json(messageJson(message), 201);
    },
  )
  .post(
    "/:id/rating",
    requireJson,
    apiInput("param", TicketParam),
    apiInput("json", RatingBody),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const json = await c.var.asUser(async (tx) => {
        const ticket = await rateTicket(tx, id, body.score, body.comment || null);
        return ticketJson(ticket, await listDepartments(tx), false);
      });
      return c.json(json, 201);
    },
  )
  .get("/:id/events", apiInput("param", TicketParam), async (c) => {
    const { id } = c.req.valid("param");
    const claims = c.var.user();
    const ticket = await c.var.asUser((tx) => visibleTicket(tx, id));
    const staff = staffOn(c, ticket);
    const lastEventId = TicketParam.shape.id.safeParse(c.req.header("last-event-id") ?? "");
    return streamSSE(c, async (stream) => {
      const queue: TicketMessageEvent[] = [];
      let wake = () => {};
      const unsubscribe = await subscribeTicketMessages({ ticketId: id }, (event) => {
        if (staff || !event.internal) queue.push(event);
        wake();
      });
      // The client going away ends the loop: Hono sees a cancelled body, Deno also aborts the request's signal.
      const request = c.req.raw.signal;
      const gone = () => stream.aborted || stream.closed || request.aborted;
      stream.onAbort(() => wake());
      request.addEventListener("abort", () => wake());
      const sent = new Set<string>();
      const send = async (message: ReturnType<typeof messageJson>) => {
        if (sent.has(message.id) || (message.internal && !staff)) return;
        sent.add(message.id);
        await stream.writeSSE({ event: "message", id: message.id, data: JSON.stringify(message) });
      };
      try {
        await stream.write(": listening\n\n");
        // A reconnecting client (Last-Event-ID) first gets what it missed, as the caller may see it now.
        if (lastEventId.success) {
          const missed = await asUser(claims, (tx) => getTicket(tx, id));
          for (const m of missed?.messages ?? []) {
            if (BigInt(m.id) > BigInt(lastEventId.data)) await send(messageJson(m));
          }
        }
        const ends = Date.now() + MAX_STREAM_MS;
        while (!gone() && Date.now() < ends) {
          if (queue.length === 0) {
            const woke = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(false), KEEP_ALIVE_MS);
              wake = () => {
                clearTimeout(timer);
                resolve(true);
              };
            });
            wake = () => {};
            if (!woke) await stream.write(": keep-alive\n\n");
          }
          for (const event of queue.splice(0)) {
            // Re-read under the caller's RLS: what the announcement says is never trusted for visibility.
            const message = await asUser(claims, (tx) => visibleMessage(tx, event.message_id));
            if (message) await send(messageJson(message));
          }
        }
      } finally {
        await unsubscribe();
      }
    });
  });
