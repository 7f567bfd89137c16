// routes/tickets/events.tsx — GET /tickets/:id/events (SSE for the customer's open ticket page): each new
// support reply, re-read under the customer's RLS and rendered with the page's Thread markup, as event
// `message` with data {id, html}. Internal notes never pass: they are skipped, and RLS would hide them anyway.
import { streamSSE } from "hono/streaming";
import { renderToString } from "preact-render-to-string";
import { z } from "zod";
import { int8Id } from "../../lib/http/schemas.ts";
import { userRoutes } from "../../lib/auth/guards.ts";
import { validate } from "../../lib/http/validate.ts";
import { ticketErrors } from "../../lib/tickets/errors.ts";
import { signedLinks } from "../../lib/tickets/attachments.ts";
import { subscribeTicketMessages, type TicketMessageEvent, visibleMessage } from "../../lib/tickets/live.ts";
import { getTicket } from "../../lib/tickets/store.ts";
import { Thread } from "../../components/tickets/Thread.tsx";
import { accessToken } from "./_parts.ts";

const idParam = z.object({ id: int8Id });
/** A keep-alive comment this often; streams end after MAX_STREAM_MS and the browser reconnects. */
const KEEP_ALIVE_MS = 20_000;
const MAX_STREAM_MS = 10 * 60_000;

export const ticketEvents = userRoutes().get("/:id/events", validate("param", idParam), async (c) => {
  const { id } = c.req.valid("param");
  const ticket = await c.var.asUser((tx) => getTicket(tx, id));
  if (!ticket) throw ticketErrors.refuse("ticket_not_found");
  const token = await accessToken(c);
  const { t, locale } = c.var;
  return streamSSE(c, async (stream) => {
    const events: TicketMessageEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = await subscribeTicketMessages({ ticketId: id }, (event) => {
      if (event.internal || event.author_role === "customer") return;
      events.push(event);
      wake?.();
    });
    stream.onAbort(() => wake?.());
    try {
      await stream.write(": listening\n\n");
      const ends = Date.now() + MAX_STREAM_MS;
      while (!stream.aborted && !stream.closed && Date.now() < ends) {
        if (events.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, KEEP_ALIVE_MS);
            function done() {
              clearTimeout(timer);
              wake = undefined;
              resolve();
            }
            wake = done;
          });
          if (events.length === 0 && !stream.aborted) await stream.write(": keep-alive\n\n");
        }
        for (const event of events.splice(0)) {
          const message = await c.var.asUser((tx) => visibleMessage(tx, event.message_id));
          if (!message || message.internal) continue;
          const links = await signedLinks(token, message.attachments.map((a) => a.path));
          const html = renderToString(
            <Thread
              t={t}
              locale={locale}
              entries={[message]}
              links={links}
              author={() => t("tickets.author.support")}
            />,
          );
          await stream.writeSSE({
            event: "message",
            id: message.id,
            data: JSON.stringify({ id: message.id, html }),
          });
        }
      }
    } finally {
      await unsubscribe();
    }
  });
});
