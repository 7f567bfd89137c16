/** Audit entries as a table: when, who, what, about whom, from where. */
import type { ComponentChildren } from "preact";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { AuditRow } from "../../lib/audit/query.ts";
import { AUDIT_ACTIONS } from "../../lib/audit/record.ts";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { AuditDetails } from "./AuditDetails.tsx";

/** The action's name in the page's language (the raw name for actions this version does not know). */
export function actionLabel(t: (key: MessageKey) => string, action: string): string {
  return (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? t(`audit.action.${action}` as MessageKey)
    : action;
}

export function AuditTable(
  { t, locale, entries, caption, pagination }: {
    t: (key: MessageKey) => string;
    locale: "fa" | "en";
    entries: AuditRow[];
    caption: string;
    pagination?: ComponentChildren;
  },
) {
  const columns: Column<AuditRow>[] = [
    {
      header: t("admin.audit.when"),
      class: "nowrap",
      cell: (entry) => formatDate(entry.occurred_at, locale, { time: true }),
    },
    {
      header: t("admin.audit.actor"),
      cell: (entry) =>
        entry.actor_id
          ? <a href={`/admin/users/${entry.actor_id}`} dir="ltr">{entry.actor_email ?? entry.actor_id}</a>
          : <span class="muted">{t("admin.audit.anonymous")}</span>,
    },
    { header: t("admin.audit.action"), cell: (entry) => actionLabel(t, entry.action) },
    {
      header: t("admin.audit.target"),
      cell: (entry) =>
        entry.target_type === "user" && entry.target_id
          ? <a href={`/admin/users/${entry.target_id}`} dir="ltr">{entry.target_id.slice(0, 8)}</a>
          : <span dir="ltr">{entry.target_id}</span>,
    },
    {
      header: t("admin.audit.details"),
      class: "small",
      cell: (entry) => <AuditDetails t={t} locale={locale} metadata={entry.metadata} />,
    },
    {
      header: t("admin.audit.origin"),
      class: "small",
      cell: (entry) => (
        <>
          <span dir="ltr">{entry.ip ?? ""}</span>
          {entry.request_id && <span class="muted block" dir="ltr">{entry.request_id}</span>}
        </>
      ),
    },
  ];
  return (
    <DataTable
      class="audit-table"
      columns={columns}
      rows={entries}
      caption={caption}
      empty={t("admin.audit.empty")}
      pagination={pagination}
    />
  );
}
