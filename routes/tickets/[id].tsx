// routes/tickets/[id].tsx — GET /tickets/:id (the thread and the forms its status allows); POST
// /tickets/:id/reply (with files), /close, /reopen, /rate. Another user's ticket is a 404; a merged ticket
// redirects to the one it was merged into.
import { z } from "zod";
import { int8Id, text } from "../../lib/http/schemas.ts";
import { renderPage } from "../../components/render.tsx";
import { userRoutes } from "../../lib/auth/guards.ts";
import { validate } from "../../lib/http/validate.ts";
import type { AppContext } from "../../lib/http/env.ts";
import { ticketErrors } from "../../lib/tickets/errors.ts";
import { attachFiles, attachmentPaths, checkFiles, signedLinks } from "../../lib/tickets/attachments.ts";
import {
  changeStatus,
  getTicket,
  listDepartments,
  postMessage,
  rateTicket,
} from "../../lib/tickets/store.ts";
import { TicketPage } from "../../components/tickets/TicketPage.tsx";
import { accessToken, filesBodyLimit, formFiles } from "./_parts.ts";
import { refusalText } from "../../lib/http/answers.ts";

const idParam = z.object({ id: int8Id });
const query = z.object({
  notice: z.enum(["opened", "replied", "closed", "reopened", "rated"]).optional(),
});
const replyForm = z.object({ body: text().trim().max(20000).default("") });
const rateForm = z.object({
  score: z.coerce.number().int().min(1).max(5),
  comment: text().trim().max(2000).optional(),
});

interface State {
  notice?: string;
  problem?: string;
  reply?: string;
}

/** The ticket page; a ticket the user cannot see is ticket_not_found (404), a merged one redirects. */
async function page(
  c: AppContext,
  id: string,
  state: State = {},
  status: 200 | 400 | 409 | 413 | 415 | 422 = 200,
) {
  const [ticket, departments] = await c.var.asUser(async (tx) =>
    [await getTicket(tx, id), await listDepartments(tx)] as const
  );
  if (!ticket) throw ticketErrors.refuse("ticket_not_found");
  if (ticket.mergedInto) return c.redirect(`/tickets/${ticket.mergedInto}`, 303);
  const links = await signedLinks(await accessToken(c), attachmentPaths(ticket));
  const { t, locale } = c.var;
  return renderPage(
    c,
    <TicketPage t={t} locale={locale} ticket={ticket} departments={departments} links={links} {...state} />,
    { title: `${ticket.number} · ${ticket.subject}`, status },
  );
}

/** Runs a ticket action; a refusal of the ticket domain is shown on the page with its status. */
async function act(c: AppContext, id: string, fn: () => Promise<unknown>, notice: string, reply?: string) {
  try {
    await fn();
  } catch (error) {
    if (!ticketErrors.is(error) || error.code === "ticket_not_found") throw error;
    return await page(c, id, { problem: refusalText(c, error), reply }, error.status as 409);
  }
  return c.redirect(`/tickets/${id}?notice=${notice}`, 303);
}

export const ticketPage = userRoutes()
  .get(
    "/:id",
    validate("param", idParam),
    validate("query", query),
    (c) => page(c, c.req.valid("param").id, c.req.valid("query")),
  )
  .post("/:id/reply", validate("param", idParam), filesBodyLimit, validate("form", replyForm), async (c) => {
    const { id } = c.req.valid("param");
    const { body } = c.req.valid("form");
    if (!body) return await page(c, id, { problem: c.var.t("tickets.error.body") }, 400);
    const files = await formFiles(c);
    return await act(
      c,
      id,
      async () => {
        await checkFiles(files);
        const message = await c.var.asUser((tx) => postMessage(tx, id, body));
        if (files.length > 0) await attachFiles(await accessToken(c), c.var.asUser, id, message.id, files);
      },
      "replied",
      body,
    );
  })
  .post("/:id/close", validate("param", idParam), (c) => {
    const { id } = c.req.valid("param");
    return act(c, id, () => c.var.asUser((tx) => changeStatus(tx, id, "closed")), "closed");
  })
  .post("/:id/reopen", validate("param", idParam), (c) => {
    const { id } = c.req.valid("param");
    return act(c, id, () => c.var.asUser((tx) => changeStatus(tx, id, "reopened")), "reopened");
  })
  .post("/:id/rate", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    // A body that is not a form (malformed multipart) is a refused rating, not a 500.
    const parsed = rateForm.safeParse(await c.req.parseBody().catch(() => undefined));
    if (!parsed.success) return await page(c, id, { problem: c.var.t("tickets.error.score") }, 400);
    const { score, comment } = parsed.data;
    return await act(c, id, () => c.var.asUser((tx) => rateTicket(tx, id, score, comment || null)), "rated");
  });
