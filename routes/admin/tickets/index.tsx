// routes/admin/tickets/index.tsx — GET /admin/tickets (the queue: saved filters, department, tag, search, keyset),
// POST /admin/tickets/bulk (assign, close or tag the ticked tickets), POST /admin/tickets/availability
// (round-robin on/off for the caller); tickets.manage on each
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { emailsByIds } from "../../../lib/users/admin.ts";
import { bulkUpdate, listAgents } from "../../../lib/tickets/desk.ts";
import { listDepartments, listQueue, QUEUE_FILTERS, setAvailability } from "../../../lib/tickets/store.ts";
import { QueuePage } from "../../../components/tickets/staff/QueuePage.tsx";
import { idList } from "./_shared.ts";
import { normalTag, queueTags } from "../../../lib/tickets/tags.ts";

const query = z.object({
  filter: z.enum(QUEUE_FILTERS).default("all"),
  department: z.string().regex(/^[a-z][a-z_]{1,31}$/).optional().or(z.literal("").transform(() => undefined)),
  tag: z.string().max(32).optional().transform((v) => (v && normalTag(v)) || undefined),
  q: z.string().max(200).optional(),
  cursor: z.string().max(200).optional(),
  notice: z.enum(["bulk_assign", "bulk_close", "bulk_tag", "available", "unavailable"]).optional(),
  count: z.coerce.number().int().min(0).max(100).optional(),
});

const bulkForm = z.discriminatedUnion("action", [
  z.object({ action: z.literal("assign"), ids: idList, assignee: z.uuid().or(z.literal("")).default("") }),
  z.object({ action: z.literal("close"), ids: idList }),
  z.object({ action: z.literal("tag"), ids: idList, tag: z.string().trim().min(1).max(32) }),
]);

const availabilityForm = z.object({ available: z.enum(["on", "off"]) });

export const adminTicketQueue = new Hono<AppEnv>()
  .get("/", requirePermission("tickets.manage"), validate("query", query), async (c) => {
    const q = c.req.valid("query");
    const me = c.var.user().sub;
    const { page, departments, agents, emails, tags } = await c.var.asUser(async (tx) => {
      const page = await listQueue(tx, me, {
        filter: q.filter,
        department: q.department,
        tag: q.tag,
        q: q.q,
        cursor: q.cursor,
        limit: 25,
      });
      const people = page.items.flatMap((t) => [t.customerId, t.assigneeId ?? t.customerId]);
      return {
        page,
        departments: await listDepartments(tx),
        agents: await listAgents(tx),
        emails: await emailsByIds(tx, people),
        tags: await queueTags(tx),
      };
    });
    const available = agents.find((a) => a.id === me)?.available ?? false;
    for (const a of agents) emails.set(a.id, a.email);
    const { t, locale } = c.var;
    return renderPage(
      c,
      <QueuePage
        t={t}
        locale={locale}
        filter={q.filter}
        department={q.department}
        tag={q.tag}
        tags={tags}
        q={q.q}
        cursor={q.cursor}
        {...{ page, departments, agents, emails, available }}
        notice={q.notice && { kind: q.notice, count: q.count }}
      />,
      { title: t("tickets.staff.queue.title") },
    );
  })
  .post("/bulk", requirePermission("tickets.manage"), validate("form", bulkForm), async (c) => {
    const form = c.req.valid("form");
    const done = await c.var.asUser((tx) =>
      bulkUpdate(
        tx,
        form.ids,
        form.action === "assign"
          ? { kind: "assign", assigneeId: form.assignee || null }
          : form.action === "close"
          ? { kind: "close" }
          : { kind: "tag", tag: form.tag },
      )
    );
    return c.redirect(`/admin/tickets?notice=bulk_${form.action}&count=${done.length}`, 303);
  })
  .post(
    "/availability",
    requirePermission("tickets.manage"),
    validate("form", availabilityForm),
    async (c) => {
      const available = c.req.valid("form").available === "on";
      await c.var.asUser((tx) => setAvailability(tx, available));
      return c.redirect(`/admin/tickets?notice=${available ? "available" : "unavailable"}`, 303);
    },
  );
