/** The audit log: filters (actor, action, target, dates), the entries, keyset pagination. */
import type { AuditFilters, AuditRow } from "../../lib/audit/query.ts";
import { AUDIT_ACTIONS } from "../../lib/audit/record.ts";
import type { DayRange } from "../../lib/i18n/day_range.ts";
import { SelectField, TextField } from "../forms/Field.tsx";
import { FilterForm } from "../admin/FilterForm.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { actionLabel, AuditTable } from "./AuditTable.tsx";

export interface AuditPageProps extends PageProps {
  filters: AuditFilters;
  entries: AuditRow[];
  /** Days typed that were no real day, and their errors. */
  days?: Pick<DayRange, "typed" | "errors">;
  /** The cursor of the page shown (none on the first) and of the next one. */
  after?: string;
  next?: string;
}

export function AuditPage({ t, locale, filters, days, entries, after, next }: AuditPageProps) {
  return (
    <>
      <Breadcrumbs t={t} />
      <h1>{t("admin.audit.title")}</h1>
      <FilterForm
        t={t}
        locale={locale}
        action="/admin/audit"
        label={t("admin.audit.filters")}
        from={filters.from}
        to={filters.to}
        days={days}
      >
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
      </FilterForm>
      <AuditTable
        t={t}
        locale={locale}
        entries={entries}
        caption={t("admin.audit.title")}
        pagination={
          <Pagination
            t={t}
            path="/admin/audit"
            params={{ ...filters }}
            cursorParam="after"
            cursor={after}
            next={next}
          />
        }
      />
    </>
  );
}
