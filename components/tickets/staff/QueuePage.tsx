/**
 * The staff queue (/admin/tickets): saved filters (all, mine, unassigned, at risk, pending), department and
 * tag filters (kept by the saved-filter links and the pages), search, keyset pages, and bulk assign / close / tag on the tickets ticked. Works without
 * JavaScript; the live island adds "new customer message on TK-…" as they arrive.
 */
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { formatDate } from "../../../lib/i18n/format.ts";
import type { Agent } from "../../../lib/tickets/desk.ts";
import {
  type Department,
  type Page,
  QUEUE_FILTERS,
  type QueueFilter,
  type Ticket,
} from "../../../lib/tickets/store.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import { DataTable } from "../../ui/DataTable.tsx";
import { Notice } from "../../ui/Notice.tsx";
import { Pagination } from "../../ui/Pagination.tsx";
import type { I18n } from "../../ui/types.ts";
import { TicketQueueLiveIsland } from "../../islands.ts";
import { departmentName, PriorityBadge, SlaBadge, StatusBadge } from "./parts.tsx";
import { TicketNumber, ticketNumberText } from "../parts.tsx";

export type QueueNotice = "bulk_assign" | "bulk_close" | "bulk_tag" | "available" | "unavailable";

export interface QueuePageProps extends I18n {
  filter: QueueFilter;
  department?: string;
  /** The tag filter (lower case), and the tags in use offered for it. */
  tag?: string;
  tags: string[];
  q?: string;
  cursor?: string;
  page: Page<Ticket>;
  departments: Department[];
  agents: Agent[];
  /** Assignees' and customers' emails by user id. */
  emails: Map<string, string>;
  /** Whether the viewer takes round-robin tickets. */
  available: boolean;
  notice?: { kind: QueueNotice; count?: number };
}

export function QueuePage(props: QueuePageProps) {
  const { t, locale, filter, department, tag, q, cursor, page, departments, agents, emails, notice } = props;
  const params = { filter: filter === "all" ? undefined : filter, department, tag, q };
  const href = (f: QueueFilter) => {
    const query = new URLSearchParams();
    if (f !== "all") query.set("filter", f);
    if (department) query.set("department", department);
    if (tag) query.set("tag", tag);
    const text = query.toString();
    return text ? `/admin/tickets?${text}` : "/admin/tickets";
  };
  return (
    <div class="stack tickets-queue">
      <Breadcrumbs t={t} />
      <h1>{t("tickets.staff.queue.title")}</h1>
      <Notice
        kind="success"
        text={notice && t(`tickets.staff.notice.${notice.kind}` as MessageKey, { count: notice.count ?? 0 })}
      />
      <div class="queue-tools">
        <form method="post" action="/admin/tickets/availability" class="inline-form availability-form">
          <input type="hidden" name="available" value={props.available ? "off" : "on"} />
          <span
            class={`badge${props.available ? "" : " badge-muted"}`}
            data-available={String(props.available)}
          >
            {t(props.available ? "tickets.staff.available" : "tickets.staff.unavailable")}
          </span>
          <button type="submit" class="button button-small button-secondary">
            {t(props.available ? "tickets.staff.goUnavailable" : "tickets.staff.goAvailable")}
          </button>
        </form>
        <a href="/admin/tickets/canned">{t("tickets.staff.canned.title")}</a>
      </div>
      <nav class="status-tabs" aria-label={t("tickets.staff.queue.filters")}>
        {QUEUE_FILTERS.map((f) => (
          <a href={href(f)} aria-current={f === filter ? "page" : undefined} data-filter={f}>
            {t(`tickets.staff.filter.${f}` as MessageKey)}
          </a>
        ))}
      </nav>
      <form method="get" action="/admin/tickets" class="filter-form queue-search" role="search">
        {filter !== "all" && <input type="hidden" name="filter" value={filter} />}
        <div class="field">
          <label for="queue-department">{t("tickets.staff.department")}</label>
          <select id="queue-department" name="department">
            <option value="">{t("tickets.staff.allDepartments")}</option>
            {departments.map((d) => (
              <option value={d.code} selected={d.code === department}>
                {locale === "fa" ? d.nameFa : d.nameEn}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="queue-tag">{t("tickets.staff.tag")}</label>
          <input
            id="queue-tag"
            type="text"
            name="tag"
            value={tag ?? ""}
            maxLength={32}
            list="queue-tags"
            dir="auto"
            autocomplete="off"
          />
          <datalist id="queue-tags">
            {props.tags.map((name) => <option key={name} value={name} />)}
          </datalist>
        </div>
        <div class="field">
          <label for="queue-q">{t("tickets.staff.search")}</label>
          <input id="queue-q" type="search" name="q" value={q ?? ""} maxLength={200} />
        </div>
        <button type="submit" class="button">{t("tickets.staff.apply")}</button>
      </form>
      <TicketQueueLiveIsland
        labels={{ heading: t("tickets.staff.live.queue") }}
        events="/admin/tickets/events"
      />
      <form method="post" action="/admin/tickets/bulk" class="stack bulk-form">
        <DataTable
          caption={t("tickets.staff.queue.title")}
          empty={t("tickets.staff.queue.empty")}
          rows={page.items}
          class="tickets-table"
          rowAttributes={(ticket) => ({ "data-ticket": ticket.id, "data-number": ticket.number })}
          columns={[
            {
              header: t("tickets.staff.select"),
              cell: (ticket) => (
                <input
                  type="checkbox"
                  name="ids"
                  value={ticket.id}
                  aria-label={t("tickets.staff.selectTicket", {
                    number: ticketNumberText(ticket.number, locale),
                  })}
                />
              ),
            },
            {
              header: t("tickets.staff.column.ticket"),
              cell: (ticket) => (
                <span class="ticket-title">
                  <a href={`/admin/tickets/${ticket.id}`}>
                    <bdi>{ticket.subject}</bdi>
                  </a>{" "}
                  <TicketNumber number={ticket.number} locale={locale} class="muted ticket-number" />
                  {ticket.tags.map((tag) => (
                    <span key={tag} class="badge badge-muted tag">
                      <bdi>#{tag}</bdi>
                    </span>
                  ))}
                </span>
              ),
            },
            {
              header: t("tickets.staff.column.customer"),
              cell: (ticket) => <bdi dir="ltr">{emails.get(ticket.customerId) ?? "—"}</bdi>,
            },
            {
              header: t("tickets.staff.column.status"),
              cell: (ticket) => (
                <span class="ticket-badges">
                  <StatusBadge t={t} status={ticket.status} />{" "}
                  <PriorityBadge t={t} priority={ticket.priority} /> <SlaBadge t={t} ticket={ticket} />
                </span>
              ),
            },
            {
              header: t("tickets.staff.department"),
              cell: (ticket) => departmentName(departments, ticket.departmentId, locale),
            },
            {
              header: t("tickets.staff.column.assignee"),
              cell: (ticket) =>
                ticket.assigneeId
                  ? <bdi dir="ltr">{emails.get(ticket.assigneeId) ?? "—"}</bdi>
                  : t("tickets.staff.unassigned"),
            },
            {
              header: t("tickets.staff.column.updated"),
              cell: (ticket) => formatDate(ticket.updatedAt, locale, { time: true }),
            },
          ]}
          pagination={
            <Pagination t={t} path="/admin/tickets" params={params} cursor={cursor} next={page.nextCursor} />
          }
        />
        {page.items.length > 0 && (
          <fieldset class="card bulk-actions">
            <legend>{t("tickets.staff.bulk.title")}</legend>
            <div class="field">
              <label for="bulk-action">{t("tickets.staff.bulk.action")}</label>
              <select id="bulk-action" name="action">
                <option value="assign">{t("tickets.staff.bulk.assign")}</option>
                <option value="close">{t("tickets.staff.bulk.close")}</option>
                <option value="tag">{t("tickets.staff.bulk.tag")}</option>
              </select>
            </div>
            <div class="field">
              <label for="bulk-assignee">{t("tickets.staff.column.assignee")}</label>
              <select id="bulk-assignee" name="assignee">
                <option value="">{t("tickets.staff.unassigned")}</option>
                {agents.map((a) => <option key={a.id} value={a.id}>{a.email}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="bulk-tag">{t("tickets.staff.tag")}</label>
              <input id="bulk-tag" name="tag" maxLength={32} dir="auto" />
            </div>
            <button type="submit" class="button">{t("tickets.staff.bulk.apply")}</button>
          </fieldset>
        )}
      </form>
    </div>
  );
}
