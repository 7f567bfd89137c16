// routes/admin/tickets/canned.tsx — GET /admin/tickets/canned (canned responses), POST …/canned (add one in
// fa and en, per department or for all), POST …/canned/:id/delete; tickets.manage on each
import { Hono } from "hono";
import { z } from "zod";
import { int8Id } from "../../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { createCanned, deleteCanned } from "../../../lib/tickets/desk.ts";
import { ticketErrors } from "../../../lib/tickets/errors.ts";
import { listCannedResponses, listDepartments } from "../../../lib/tickets/store.ts";
import { CannedPage } from "../../../components/tickets/staff/CannedPage.tsx";

const query = z.object({ notice: z.enum(["created", "deleted"]).optional() });
const params = z.object({ id: int8Id });
const cannedForm = z.object({
  title: z.string().trim().min(1).max(200),
  department: z.string().regex(/^([1-9][0-9]{0,4})?$/).default(""),
  body_fa: z.string().trim().min(1).max(10000),
  body_en: z.string().trim().min(1).max(10000),
});

async function show(
  c: AppContext,
  shown: { notice?: "created" | "deleted"; problem?: string; values?: Record<string, string> },
  status?: 400,
) {
  const { canned, departments } = await c.var.asUser(async (tx) => ({
    canned: await listCannedResponses(tx),
    departments: await listDepartments(tx),
  }));
  const { t, locale } = c.var;
  return renderPage(
    c,
    <CannedPage t={t} locale={locale} canned={canned} departments={departments} {...shown} />,
    {
      title: t("tickets.staff.canned.title"),
      status,
    },
  );
}

export const adminTicketCanned = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("tickets.manage"),
    validate("query", query),
    (c) => show(c, c.req.valid("query")),
  )
  .post(
    "/",
    requirePermission("tickets.manage"),
    formValidator(
      cannedForm,
      (c, _errors, values) => show(c, { problem: c.var.t("tickets.staff.canned.invalid"), values }, 400),
    ),
    async (c) => {
      const form = c.req.valid("form");
      const me = c.var.user().sub;
      await c.var.asUser((tx) =>
        createCanned(tx, me, {
          title: form.title,
          departmentId: form.department ? Number(form.department) : null,
          bodyFa: form.body_fa,
          bodyEn: form.body_en,
        })
      );
      return c.redirect("/admin/tickets/canned?notice=created", 303);
    },
  )
  .post("/:id/delete", requirePermission("tickets.manage"), validate("param", params), async (c) => {
    const gone = await c.var.asUser((tx) => deleteCanned(tx, c.req.valid("param").id));
    if (!gone) throw ticketErrors.refuse("ticket_invalid_input");
    return c.redirect("/admin/tickets/canned?notice=deleted", 303);
  });
