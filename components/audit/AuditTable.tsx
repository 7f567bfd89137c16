/** Audit entries as a table: when, who, what, about whom, from where. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { AuditRow } from "../../lib/audit/query.ts";
import { AUDIT_ACTIONS } from "../../lib/audit/record.ts";

/** The action's name in the page's language (the raw name for actions this version does not know). */
export function actionLabel(t: (key: MessageKey) => string, action: string): string {
  return (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? t(`audit.action.${action}` as MessageKey)
    : action;
}

function details(entry: AuditRow): string {
  const parts = Object.entries(entry.metadata ?? {}).map(([k, v]) => `${k}: ${String(v)}`);
  return parts.join(", ");
}

export function AuditTable(
  { t, locale, entries, caption }: {
    t: (key: MessageKey) => string;
    locale: "fa" | "en";
    entries: AuditRow[];
    caption: string;
  },
) {
  return (
    <div class="table-wrap">
      <table class="table audit-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("admin.audit.when")}</th>
            <th scope="col">{t("admin.audit.actor")}</th>
            <th scope="col">{t("admin.audit.action")}</th>
            <th scope="col">{t("admin.audit.target")}</th>
            <th scope="col">{t("admin.audit.details")}</th>
            <th scope="col">{t("admin.audit.origin")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr>
              <td class="nowrap">{formatDate(entry.occurred_at, locale, { time: true })}</td>
              <td>
                {entry.actor_id
                  ? (
                    <a href={`/admin/users/${entry.actor_id}`} dir="ltr">
                      {entry.actor_email ?? entry.actor_id}
                    </a>
                  )
                  : <span class="muted">{t("admin.audit.anonymous")}</span>}
              </td>
              <td>{actionLabel(t, entry.action)}</td>
              <td>
                {entry.target_type === "user" && entry.target_id
                  ? <a href={`/admin/users/${entry.target_id}`} dir="ltr">{entry.target_id.slice(0, 8)}</a>
                  : <span dir="ltr">{entry.target_id}</span>}
              </td>
              <td class="small">
                <span dir="ltr">{details(entry)}</span>
              </td>
              <td class="small">
                <span dir="ltr">{entry.ip ?? ""}</span>
                {entry.request_id && <span class="muted block" dir="ltr">{entry.request_id}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
