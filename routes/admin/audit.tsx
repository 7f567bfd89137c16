// routes/admin/audit.tsx — GET /admin/audit (audit log with filters: actor, action, target, dates; keyset pages)
import { Hono } from "hono";
import { z } from "zod";
import { optionalField } from "../../lib/http/form_fields.ts";
import { calendarDay } from "../../lib/i18n/calendar_date.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { requirePermission } from "../../lib/auth/guards.ts";
import { listAuditEntries } from "../../lib/audit/query.ts";
import { AUDIT_ACTIONS } from "../../lib/audit/record.ts";
import { SelectField, TextField } from "../../components/forms/Field.tsx";
import { DayField } from "../../components/forms/DayField.tsx";
import { actionLabel, AuditTable } from "../../components/forms/AuditTable.tsx";

const query = z.object({
  actor: optionalField(z.string().trim().max(320)),
  action: optionalField(z.enum(AUDIT_ACTIONS)),
  target: optionalField(z.string().trim().max(320)),
  from: optionalField(calendarDay),
  to: optionalField(calendarDay),
  after: optionalField(z.string().regex(/^\d{1,19}$/)),
});

export const adminAudit = new Hono<AppEnv>().get(
  "/",
  requirePermission("audit.view"),
  validate("query", query),
  async (c) => {
    const { after, ...filters } = c.req.valid("query");
    const page = await c.var.asUser((tx) => listAuditEntries(tx, filters, { after }));
    const t = c.var.t;
    const filtered = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<
      string,
      string
    >;
    const link = (cursor?: string) =>
      `/admin/audit?${new URLSearchParams({ ...filtered, ...(cursor ? { after: cursor } : {}) })}`;
    return renderPage(
      c,
      <>
        <p class="breadcrumbs">
          <a href="/admin">{t("admin.title")}</a>
        </p>
        <h1>{t("admin.audit.title")}</h1>
        <form method="get" action="/admin/audit" class="card filters" aria-label={t("admin.audit.filters")}>
          <TextField
            name="actor"
            label={t("admin.audit.actor")}
            hint={t("admin.audit.actorHint")}
            value={filters.actor}
            dir="ltr"
          />
          <SelectField
            name="action"
            label={t("admin.audit.action")}
            value={filters.action ?? ""}
            options={[
              { value: "", label: t("admin.audit.anyAction") },
              ...AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) })),
            ]}
          />
          <TextField
            name="target"
            label={t("admin.audit.target")}
            hint={t("admin.audit.targetHint")}
            value={filters.target}
            dir="ltr"
          />
          <DayField name="from" label={t("admin.audit.from")} value={filters.from} locale={c.var.locale} />
          <DayField name="to" label={t("admin.audit.to")} value={filters.to} locale={c.var.locale} />
          <div class="form-actions">
            <button type="submit">{t("admin.audit.filter")}</button>
            <a href="/admin/audit">{t("admin.audit.clear")}</a>
          </div>
        </form>
        {page.entries.length === 0 ? <p class="alert alert-info">{t("admin.audit.empty")}</p> : (
          <AuditTable
            t={t}
            locale={c.var.locale}
            entries={page.entries}
            caption={t("admin.audit.title")}
          />
        )}
        <nav class="pagination" aria-label={t("admin.pagination")}>
          {after ? <a href={link()}>{t("admin.firstPage")}</a> : <span></span>}
          {page.next && <a href={link(page.next)} rel="next">{t("admin.nextPage")}</a>}
        </nav>
      </>,
      { title: t("admin.audit.title") },
    );
  },
);
