/** Small parts of the staff help desk pages: status, priority and SLA badges, the department's name. */
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { formatDate } from "../../../lib/i18n/format.ts";
import type { Department, Ticket } from "../../../lib/tickets/store.ts";
import type { I18n, Translate } from "../../ui/types.ts";

export function StatusBadge({ t, status }: { t: Translate; status: Ticket["status"] }) {
  const tone = status === "closed" || status === "resolved" ? " badge-muted" : "";
  return (
    <span class={`badge${tone}`} data-status={status}>
      {t(`tickets.staff.status.${status}` as MessageKey)}
    </span>
  );
}

export function PriorityBadge({ t, priority }: { t: Translate; priority: Ticket["priority"] }) {
  const tone = priority === "urgent"
    ? " badge-danger"
    : priority === "high"
    ? " badge-warning"
    : " badge-muted";
  return (
    <span class={`badge${tone}`} data-priority={priority}>
      {t(`tickets.staff.priority.${priority}` as MessageKey)}
    </span>
  );
}

/** "SLA breached" / "SLA at risk" for unresolved tickets, else nothing. */
export function SlaBadge({ t, ticket }: { t: Translate; ticket: Ticket }) {
  if (ticket.status === "resolved" || ticket.status === "closed") return null;
  if (ticket.slaBreached) {
    return <span class="badge badge-danger" data-sla="breach">{t("tickets.staff.sla.breach")}</span>;
  }
  if (ticket.slaWarning) {
    return <span class="badge badge-warning" data-sla="warning">{t("tickets.staff.sla.warning")}</span>;
  }
  return null;
}

/** The next SLA due time of an unresolved ticket (first response until answered, then resolution). */
export function SlaDue({ t, locale, ticket }: I18n & { ticket: Ticket }) {
  if (ticket.status === "resolved" || ticket.status === "closed") return null;
  const firstDue = ticket.firstRespondedAt ? null : ticket.firstResponseDueAt;
  const due = firstDue ?? ticket.resolutionDueAt;
  if (!due) return null;
  const key = firstDue ? "tickets.staff.sla.firstDue" : "tickets.staff.sla.resolutionDue";
  return (
    <span class="hint sla-due">
      {t(key, { time: formatDate(due, locale, { time: true }) })}
    </span>
  );
}

export function departmentName(departments: Department[], id: number, locale: I18n["locale"]): string {
  const d = departments.find((d) => d.id === id);
  return d ? (locale === "fa" ? d.nameFa : d.nameEn) : String(id);
}
