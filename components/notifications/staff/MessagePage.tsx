/** /admin/notifications/log/:id — one message: its fields, its template data, every attempt; re-queue if final. */
import { formatDate, formatId } from "../../../lib/i18n/format.ts";
import type { AttemptRow, OutboxRow } from "../../../lib/notifications/staff.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import { DataTable } from "../../ui/DataTable.tsx";
import type { I18n } from "../../ui/types.ts";
import { CHANNEL_LABELS } from "../parts.tsx";
import { count, StatusBadge } from "./parts.tsx";

const REQUEUEABLE = new Set(["dead", "failed", "bounced"]);
/** Statuses in which the dispatcher will try the message again (at next_attempt_at); the others are settled. */
const WAITING = new Set(["queued", "held"]);
/** Provider reports that mean the message did not arrive (a callback's other reports are not errors). */
const FAILED_REPORTS = new Set(["failed", "bounced"]);

/**
 * An attempt as shown: a provider callback stores its report ("delivered", "bounced: mailbox full") where a
 * send stores its error, so the report's status goes with the outcome and only a failure's reason is an error.
 */
function attemptView(a: AttemptRow): { outcome: string; error: string | null } {
  if (a.outcome !== "callback" || !a.error) return { outcome: a.outcome, error: a.error };
  const [reported, ...reason] = a.error.split(": ");
  return {
    outcome: `${a.outcome} · ${reported}`,
    error: FAILED_REPORTS.has(reported) ? (reason.join(": ") || reported) : null,
  };
}

export function MessagePage(props: I18n & { message: OutboxRow; attempts: AttemptRow[] }) {
  const { t, locale, message: m, attempts } = props;
  const when = (at: Date | string | null) => at ? formatDate(new Date(at), locale, { time: true }) : "—";
  const fields: [string, preact.ComponentChildren][] = [
    [t("admin.notifications.status"), <StatusBadge key="status" status={m.status} />],
    [t("admin.notifications.channel"), t(CHANNEL_LABELS[m.channel as keyof typeof CHANNEL_LABELS])],
    [t("admin.notifications.recipient"), <bdi key="recipient" dir="ltr">{m.recipient}</bdi>],
    [t("admin.notifications.event"), <bdi key="event" dir="ltr">{m.event} · {m.locale}</bdi>],
    [t("admin.notifications.provider"), m.provider ?? "—"],
    [t("admin.notifications.providerId"), <bdi key="pid" dir="ltr">{m.provider_message_id ?? "—"}</bdi>],
    [t("admin.notifications.attempts"), `${count(props, m.attempts)} / ${count(props, m.max_attempts)}`],
    [t("admin.notifications.nextAttempt"), WAITING.has(m.status) ? when(m.next_attempt_at) : "—"],
    [t("admin.notifications.created"), when(m.created_at)],
    [
      t("admin.notifications.lastError"),
      m.last_error ? <span key="error" class="error-text" dir="ltr">{m.last_error}</span> : "—",
    ],
  ];
  return (
    <>
      <Breadcrumbs t={t}>
        <a href="/admin/notifications/log">{t("admin.notifications.log")}</a>
      </Breadcrumbs>
      <h1>{t("admin.notifications.message", { id: formatId(m.id, locale) })}</h1>
      <section class="card">
        <dl class="facts">
          {fields.map(([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </>
          ))}
        </dl>
        {REQUEUEABLE.has(m.status) && (
          <form method="post" action={`/admin/notifications/log/${m.id}/requeue`} class="form-actions">
            <button type="submit">{t("admin.notifications.requeue")}</button>
          </form>
        )}
      </section>
      <h2>{t("admin.notifications.history")}</h2>
      <DataTable
        caption={t("admin.notifications.history")}
        rows={attempts}
        empty={t("admin.notifications.noAttempts")}
        rowAttributes={(a) => ({ "data-attempt": String(a.id) })}
        columns={[
          { header: t("admin.notifications.attempt"), numeric: true, cell: (a) => count(props, a.attempt) },
          { header: t("admin.notifications.at"), cell: (a) => when(a.created_at) },
          { header: t("admin.notifications.provider"), cell: (a) => a.provider },
          {
            header: t("admin.notifications.outcome"),
            cell: (a) => <bdi dir="ltr">{attemptView(a).outcome}</bdi>,
          },
          {
            header: t("admin.notifications.error"),
            cell: (a) => {
              const error = attemptView(a).error;
              return error ? <span class="error-text" dir="ltr">{error}</span> : "—";
            },
          },
          {
            header: t("admin.notifications.duration"),
            numeric: true,
            cell: (a) => a.duration_ms === null ? "—" : count(props, a.duration_ms),
          },
        ]}
      />
      <h2>{t("admin.notifications.data")}</h2>
      <pre class="template-preview" dir="ltr">{JSON.stringify(m.data, null, 2)}</pre>
    </>
  );
}
