/**
 * The delivery log (/admin/notifications/log: filters by channel, status, provider, recipient and day) and
 * the dead-letter queue (/admin/notifications/dead: the same table with a checkbox per row and a bulk
 * re-queue). Plain GET and POST forms; no JavaScript.
 */
import { formatDate, formatId } from "../../../lib/i18n/format.ts";
import {
  type LogFilter,
  OUTBOX_CHANNELS,
  OUTBOX_STATUSES,
  type OutboxRow,
  PROVIDERS,
} from "../../../lib/notifications/staff.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import { FilterForm } from "../../admin/FilterForm.tsx";
import { SelectField, TextField } from "../../forms/Field.tsx";
import { DataTable } from "../../ui/DataTable.tsx";
import { Notice } from "../../ui/Notice.tsx";
import { Pagination } from "../../ui/Pagination.tsx";
import type { I18n } from "../../ui/types.ts";
import { CHANNEL_LABELS } from "../parts.tsx";
import { count, NotificationsNav, StatusBadge } from "./parts.tsx";
import type { DayRange } from "../../../lib/i18n/day_range.ts";

export interface DeliveryLogPageProps extends I18n {
  mode: "log" | "dead";
  rows: OutboxRow[];
  filter: LogFilter;
  /** Days typed that were no real day, and their errors. */
  days?: Pick<DayRange, "typed" | "errors">;
  next: string | null;
  requeued?: number;
}

export function DeliveryLogPage(props: DeliveryLogPageProps) {
  const { t, locale, mode, rows, filter, next, requeued, days } = props;
  const path = mode === "dead" ? "/admin/notifications/dead" : "/admin/notifications/log";
  const any = { value: "", label: t("admin.notifications.any") };
  const table = (
    <DataTable
      caption={t(mode === "dead" ? "admin.notifications.dead" : "admin.notifications.log")}
      rows={rows}
      empty={t(mode === "dead" ? "admin.notifications.deadEmpty" : "admin.notifications.empty")}
      rowAttributes={(row) => ({ "data-outbox": String(row.id), "data-status": row.status })}
      columns={[
        ...(mode === "dead"
          ? [{
            header: "",
            cell: (row: OutboxRow) => (
              <input
                type="checkbox"
                name="ids"
                value={String(row.id)}
                form="requeue-form"
                aria-label={t("admin.notifications.select", { id: formatId(row.id, locale) })}
              />
            ),
          }]
          : []),
        {
          header: "#",
          cell: (row) => <a href={`/admin/notifications/log/${row.id}`}>{formatId(row.id, locale)}</a>,
        },
        {
          header: t("admin.notifications.created"),
          cell: (row) => formatDate(new Date(row.created_at), locale, { time: true }),
        },
        {
          header: t("admin.notifications.channel"),
          cell: (row) =>
            t(CHANNEL_LABELS[row.channel as keyof typeof CHANNEL_LABELS] ?? "admin.notifications.any"),
        },
        { header: t("admin.notifications.recipient"), cell: (row) => <bdi dir="ltr">{row.recipient}</bdi> },
        { header: t("admin.notifications.event"), cell: (row) => <bdi dir="ltr">{row.event}</bdi> },
        { header: t("admin.notifications.status"), cell: (row) => <StatusBadge status={row.status} /> },
        { header: t("admin.notifications.provider"), cell: (row) => row.provider ?? "—" },
        {
          header: t("admin.notifications.attempts"),
          numeric: true,
          cell: (row) => count(props, row.attempts),
        },
        {
          header: t("admin.notifications.lastError"),
          cell: (row) => row.last_error ? <span class="error-text" dir="ltr">{row.last_error}</span> : "—",
        },
      ]}
      pagination={
        <Pagination
          t={t}
          path={path}
          params={{ ...filter, cursor: undefined } as Record<string, string | undefined>}
          cursor={filter.cursor}
          next={next}
        />
      }
    />
  );
  return (
    <>
      <Breadcrumbs t={t}>
        <a href="/admin/notifications">{t("admin.notifications.title")}</a>
      </Breadcrumbs>
      <h1>{t(mode === "dead" ? "admin.notifications.dead" : "admin.notifications.log")}</h1>
      <NotificationsNav t={t} current={path} />
      {requeued !== undefined && (
        <Notice kind="success" text={t("admin.notifications.requeued", { count: count(props, requeued) })} />
      )}
      <FilterForm
        t={t}
        locale={locale}
        action={path}
        label={t("admin.notifications.filters")}
        from={filter.from}
        to={filter.to}
        days={days}
      >
        <SelectField
          name="channel"
          label={t("admin.notifications.channel")}
          value={filter.channel ?? ""}
          options={[any, ...OUTBOX_CHANNELS.map((c) => ({ value: c, label: t(CHANNEL_LABELS[c]) }))]}
        />
        {mode === "log" && (
          <SelectField
            name="status"
            label={t("admin.notifications.status")}
            value={filter.status ?? ""}
            options={[any, ...OUTBOX_STATUSES.map((s) => ({ value: s, label: s }))]}
          />
        )}
        <SelectField
          name="provider"
          label={t("admin.notifications.provider")}
          value={filter.provider ?? ""}
          options={[any, ...PROVIDERS.map((p) => ({ value: p, label: p }))]}
        />
        <TextField
          name="recipient"
          label={t("admin.notifications.recipient")}
          value={filter.recipient}
          dir="ltr"
          maxLength={320}
        />
      </FilterForm>
      {mode === "dead" && rows.length > 0 && (
        <form method="post" action="/admin/notifications/dead/requeue" id="requeue-form" class="form-actions">
          <button type="submit">{t("admin.notifications.requeueSelected")}</button>
        </form>
      )}
      {table}
    </>
  );
}
