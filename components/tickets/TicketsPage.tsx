/** The customer's tickets: status filter and search (a GET form), newest first, keyset pages. */
import { formatDate } from "../../lib/i18n/format.ts";
import { type Department, type Ticket, TICKET_STATUSES, type TicketStatus } from "../../lib/tickets/store.ts";
import { SelectField, TextField } from "../forms/Field.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { Notice } from "../ui/Notice.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import type { I18n } from "../ui/types.ts";
import { departmentName, StatusBadge, statusKey, TicketNumber } from "./parts.tsx";

export interface TicketsPageProps extends I18n {
  tickets: Ticket[];
  departments: Department[];
  status?: TicketStatus;
  q?: string;
  cursor?: string;
  next: string | null;
}

export function TicketsPage({ t, locale, tickets, departments, status, q, cursor, next }: TicketsPageProps) {
  const filtered = !!status || !!q;
  return (
    <>
      <div class="page-head">
        <h1>{t("tickets.list.title")}</h1>
        <p class="actions">
          <a class="button" href="/tickets/new">{t("tickets.new.title")}</a>
        </p>
      </div>
      <form method="get" action="/tickets" class="filters" role="search">
        <SelectField
          name="status"
          label={t("tickets.field.status")}
          value={status ?? ""}
          options={[
            { value: "", label: t("tickets.list.anyStatus") },
            ...TICKET_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) })),
          ]}
        />
        <TextField name="q" type="search" label={t("tickets.list.search")} value={q} maxLength={200} />
        <p class="actions">
          <button type="submit">{t("tickets.list.filter")}</button>
          {filtered && <a class="button button-ghost" href="/tickets">{t("tickets.list.clear")}</a>}
        </p>
      </form>
      <DataTable
        caption={t("tickets.list.title")}
        rows={tickets}
        empty={t(filtered ? "tickets.list.noMatch" : "tickets.list.empty")}
        rowAttributes={(ticket) => ({ "data-ticket": ticket.id })}
        columns={[
          {
            header: t("tickets.field.subject"),
            cell: (ticket) => (
              <a href={`/tickets/${ticket.id}`}>
                <TicketNumber number={ticket.number} locale={locale} class="ltr-inline" /> ·{" "}
                <bdi>{ticket.subject}</bdi>
              </a>
            ),
          },
          {
            header: t("tickets.field.department"),
            cell: (ticket) => departmentName(departments, ticket.departmentId, locale),
          },
          {
            header: t("tickets.field.status"),
            cell: (ticket) => <StatusBadge t={t} status={ticket.status} />,
          },
          {
            header: t("tickets.field.updated"),
            cell: (ticket) => formatDate(ticket.updatedAt, locale, { time: true }),
          },
        ]}
        pagination={<Pagination t={t} path="/tickets" params={{ status, q }} cursor={cursor} next={next} />}
      />
    </>
  );
}

/** The notice a redirect to the list or a ticket carries (?notice=…). */
export function TicketNotice({ t, notice }: { t: I18n["t"]; notice?: string }) {
  const key = {
    opened: "tickets.notice.opened",
    replied: "tickets.notice.replied",
    closed: "tickets.notice.closed",
    reopened: "tickets.notice.reopened",
    rated: "tickets.notice.rated",
  }[notice ?? ""] as Parameters<I18n["t"]>[0] | undefined;
  return key ? <Notice kind="success" text={t(key)} /> : null;
}
