// routes/admin/audit.tsx — GET /admin/audit (audit log with filters: actor, action, target, dates; keyset pages)
import { Hono } from "hono";
import { z } from "zod";
import { int8Id, text } from "../../lib/http/schemas.ts";
import { optionalField } from "../../lib/http/form_fields.ts";
import { readDayFilters, typedDay } from "../../lib/i18n/day_range.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { requirePermission } from "../../lib/auth/guards.ts";
import { listAuditEntries } from "../../lib/audit/query.ts";
import { AUDIT_ACTIONS } from "../../lib/audit/record.ts";
import { AuditPage } from "../../components/audit/AuditPage.tsx";

const query = z.object({
  actor: optionalField(text().trim().max(320)),
  action: optionalField(z.enum(AUDIT_ACTIONS)),
  target: optionalField(text().trim().max(320)),
  from: typedDay,
  to: typedDay,
  after: optionalField(int8Id),
});

export const adminAudit = new Hono<AppEnv>().get(
  "/",
  requirePermission("audit.view"),
  validate("query", query),
  async (c) => {
    const { after, ...typed } = c.req.valid("query");
    const { filters, days, status } = readDayFilters(typed);
    const page = await c.var.asUser((tx) => listAuditEntries(tx, filters, { after }));
    return renderPage(
      c,
      <AuditPage
        t={c.var.t}
        locale={c.var.locale}
        filters={filters}
        days={days}
        entries={page.entries}
        after={after}
        next={page.next}
      />,
      { title: c.var.t("admin.audit.title"), status },
    );
  },
);
