// routes/admin/tickets/[id].tsx — GET /admin/tickets/:id (the work page; a merged ticket redirects to the one
// it was merged into), POST …/:id/reply (reply or internal note, @mentions), …/status, …/assign,
// …/round-robin, …/classify (priority, department), …/tags, …/merge (into another ticket of the customer),
// …/presence (replying now); tickets.manage on each
import { Hono } from "hono";
import { z } from "zod";
import { int8Id } from "../../../lib/http/schemas.ts";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { can } from "../../../lib/auth/viewer.ts";
import { emailsByIds } from "../../../lib/users/admin.ts";
import {
  listAgents,
  mentionAgents,
  mentionedAgents,
  presenceOn,
  relatedRecords,
  touchPresence,
} from "../../../lib/tickets/desk.ts";
import { ticketErrors } from "../../../lib/tickets/errors.ts";
import { attachmentPaths, signedLinks } from "../../../lib/tickets/attachments.ts";
import {
  assignRoundRobin,
  assignTicket,
  changeStatus,
  getTicket,
  listCannedResponses,
  listDepartments,
  mergeTickets,
  postMessage,
  reclassifyTicket,
  renderCanned,
  setTags,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from "../../../lib/tickets/store.ts";
import { type WorkNotice, WorkPage } from "../../../components/tickets/staff/WorkPage.tsx";
import { ticketParams } from "./_shared.ts";
import { accessToken } from "../../tickets/_parts.ts";

const NOTICES = [
  "replied",
  "noted",
  "status",
  "assigned",
  "round_robin_none",
  "tags",
  "classified",
  "merged",
] as const;
const query = z.object({
  notice: z.enum(NOTICES).optional(),
  canned: int8Id.optional(),
  lang: z.enum(["fa", "en"]).optional(),
  merged_from: z.string().regex(/^[A-Z]{2}-[0-9]{1,18}$/).optional(),
});
const replyForm = z.object({
  body: z.string().trim().min(1).max(20000),
  internal: z.literal("on").optional(),
});
const statusForm = z.object({ status: z.enum(TICKET_STATUSES) });
const assignForm = z.object({ assignee: z.uuid().or(z.literal("")) });
const classifyForm = z.object({
  priority: z.enum(TICKET_PRIORITIES),
  department: z.string().regex(/^[a-z][a-z_]{1,31}$/),
});
const tagsForm = z.object({ tags: z.string().max(700).default("") });
/** A ticket number (TK-100001, Persian digits allowed) or id. */
const mergeForm = z.object({
  into: z.string().trim().max(30).transform((v) =>
    v.replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d))).toUpperCase()
  ).pipe(z.string().regex(/^(TK-)?[0-9]{1,18}$/)),
});
const presenceForm = z.object({ state: z.enum(["viewing", "replying"]) });

const back = (id: string, notice: WorkNotice) => `/admin/tickets/${id}?notice=${notice}`;

export const adminTicketWork = new Hono<AppEnv>()
  .get(
    "/:id",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("query", query),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const me = c.var.user().sub;
      const may = {
        wallet: can(c.var.viewer, "wallet.view"),
        payments: can(c.var.viewer, "payments.view"),
        customerWallet: can(c.var.viewer, "wallet.view_summary") && can(c.var.viewer, "users.view"),
      };
      const cannedLocale = q.lang ?? c.var.locale;
      const loaded = await c.var.asUser(async (tx) => {
        const ticket = await getTicket(tx, id);
        if (!ticket) throw ticketErrors.refuse("ticket_not_found");
        if (ticket.mergedInto) return { mergedInto: ticket.mergedInto, number: ticket.number } as const;
        await touchPresence(tx, id, "viewing");
        const agents = await listAgents(tx);
        const people = [ticket.customerId, ...ticket.messages.map((m) => m.authorId ?? ticket.customerId)];
        return {
          ticket,
          agents,
          emails: await emailsByIds(tx, people),
          departments: await listDepartments(tx),
          canned: await listCannedResponses(tx, ticket.departmentId),
          draft: q.canned ? await renderCanned(tx, q.canned, id, cannedLocale) : undefined,
          related: await relatedRecords(tx, ticket.customerId, may),
          presence: await presenceOn(tx, id, me),
        };
      });
      if ("mergedInto" in loaded) {
        return c.redirect(`/admin/tickets/${loaded.mergedInto}?merged_from=${loaded.number}`, 302);
      }
      for (const a of loaded.agents) loaded.emails.set(a.id, a.email);
      // Signed with the agent's own token: Storage's policies decide, as for the customer's page.
      const links = await signedLinks(await accessToken(c), attachmentPaths(loaded.ticket));
      const { t, locale } = c.var;
      return renderPage(
        c,
        <WorkPage
          t={t}
          locale={locale}
          viewerId={me}
          {...loaded}
          links={links}
          cannedId={q.canned}
          cannedLocale={cannedLocale}
          notice={q.notice}
          mergedFrom={q.merged_from}
          customerWalletHref={may.customerWallet
            ? `/admin/users/${loaded.ticket.customerId}/wallet?ticket=${loaded.ticket.id}`
            : undefined}
        />,
        { title: `${loaded.ticket.number} ${loaded.ticket.subject}` },
      );
    },
  )
  .post(
    "/:id/reply",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("form", replyForm),
    async (c) => {
      const { id } = c.req.valid("param");
      const form = c.req.valid("form");
      const internal = form.internal === "on";
      await c.var.asUser(async (tx) => {
        const message = await postMessage(tx, id, form.body, { internal });
        const mentioned = mentionedAgents(form.body, await listAgents(tx));
        await mentionAgents(tx, message.id, mentioned.map((a) => a.id));
      });
      return c.redirect(back(id, internal ? "noted" : "replied"), 303);
    },
  )
  .post(
    "/:id/status",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("form", statusForm),
    async (c) => {
      const { id } = c.req.valid("param");
      await c.var.asUser((tx) => changeStatus(tx, id, c.req.valid("form").status));
      return c.redirect(back(id, "status"), 303);
    },
  )
  .post(
    "/:id/assign",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("form", assignForm),
    async (c) => {
      const { id } = c.req.valid("param");
      await c.var.asUser((tx) => assignTicket(tx, id, c.req.valid("form").assignee || null));
      return c.redirect(back(id, "assigned"), 303);
    },
  )
  .post(
    "/:id/round-robin",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const assignee = await c.var.asUser((tx) => assignRoundRobin(tx, id));
      return c.redirect(back(id, assignee ? "assigned" : "round_robin_none"), 303);
    },
  )
  .post(
    "/:id/classify",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("form", classifyForm),
    async (c) => {
      const { id } = c.req.valid("param");
      const form = c.req.valid("form");
      await c.var.asUser((tx) =>
        reclassifyTicket(tx, id, { priority: form.priority, department: form.department })
      );
      return c.redirect(back(id, "classified"), 303);
    },
  )
  .post(
    "/:id/tags",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("form", tagsForm),
    async (c) => {
      const { id } = c.req.valid("param");
      const tags = c.req.valid("form").tags.split(/[,،]/).map((s) => s.trim()).filter(Boolean);
      await c.var.asUser((tx) => setTags(tx, id, tags));
      return c.redirect(back(id, "tags"), 303);
    },
  )
  .post(
    "/:id/merge",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("form", mergeForm),
    async (c) => {
      const { id } = c.req.valid("param");
      const into = c.req.valid("form").into;
      const target = await c.var.asUser(async (tx) => {
        const row = await tx.selectFrom("tickets").select("id")
          .where(into.startsWith("TK-") ? "number" : "id", "=", into).executeTakeFirst();
        if (!row) throw ticketErrors.refuse("ticket_not_found");
        return await mergeTickets(tx, id, String(row.id));
      });
      return c.redirect(back(target.id, "merged"), 303);
    },
  )
  .post(
    "/:id/presence",
    requirePermission("tickets.manage"),
    validate("param", ticketParams),
    validate("form", presenceForm),
    async (c) => {
      const { id } = c.req.valid("param");
      await c.var.asUser((tx) => touchPresence(tx, id, c.req.valid("form").state));
      return c.body(null, 204);
    },
  );
