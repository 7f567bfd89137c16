/** The audit log: filters (actor, action, target, dates), the entries, keyset pagination. */
import type { AuditFilters, AuditRow } from "../../lib/audit/query.ts";
import { AUDIT_ACTIONS } from "../../lib/audit/record.ts";
import { SelectField, TextField } from "../forms/Field.tsx";
import { DayField } from "../forms/DayField.tsx";
import { Breadcrumbs, PageLinks, type PageProps } from "../admin/shell.tsx";
import { actionLabel, AuditTable } from "./AuditTable.tsx";

export interface AuditPageProps extends PageProps {
  filters: AuditFilters;
  entries: AuditRow[];
  /** The log's URL with the filters kept and the given cursor. */
  link: (cursor?: string) => string;
  onFirstPage: boolean;
  next?: string;
}

export function AuditPage({ t, locale, filters, entries, link, onFirstPage, next }: AuditPageProps) {
  return (
    <>
      <Breadcrumbs t={t} />
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
        <DayField name="from" label={t("admin.audit.from")} value={filters.from} locale={locale} />
        <DayField name="to" label={t("admin.audit.to")} value={filters.to} locale={locale} />
        <div class="form-actions">
          <button type="submit">{t("admin.audit.filter")}</button>
          <a href="/admin/audit">{t("admin.audit.clear")}</a>
        </div>
      </form>
      {entries.length === 0
        ? <p class="alert alert-info">{t("admin.audit.empty")}</p>
        : <AuditTable t={t} locale={locale} entries={entries} caption={t("admin.audit.title")} />}
      <PageLinks t={t} first={onFirstPage ? undefined : link()} next={next && link(next)} />
    </>
  );
}
