/**
 * /admin/broadcasts: the list and the compose form (segment, channels, subject and text in both languages,
 * the per-channel rate); /admin/broadcasts/:id: the recipient count now, the message previewed in both
 * languages, and the status badge, the Send / Pause / Resume / Cancel forms and the progress bar (islands on one
 * polled feed; the forms and Refresh work without JS).
 */
import { formatDate, formatId } from "../../../lib/i18n/format.ts";
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import {
  BROADCAST_CHANNELS,
  type BroadcastRow,
  type Progress,
  ROLES,
  SEGMENT_KINDS,
} from "../../../lib/notifications/broadcasts.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import { CheckboxField, FormAlert, SelectField, TextField } from "../../forms/Field.tsx";
import { BroadcastActionsIsland, BroadcastProgressIsland, BroadcastStatusIsland } from "../../islands.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { Notice } from "../../ui/Notice.tsx";
import type { I18n } from "../../ui/types.ts";
import { CHANNEL_LABELS, LocalizedTextArea } from "../parts.tsx";
import { BROADCAST_STATUS_LABELS, count } from "./parts.tsx";

const SEGMENT_LABELS: Record<typeof SEGMENT_KINDS[number], MessageKey> = {
  all: "admin.broadcasts.segment.all",
  role: "admin.broadcasts.segment.role",
  balance_at_least: "admin.broadcasts.segment.balance_at_least",
  inactive_days: "admin.broadcasts.segment.inactive_days",
  department_customers: "admin.broadcasts.segment.department_customers",
};

export interface ComposeValues {
  title?: string;
  segment_kind?: string;
  role?: string;
  amount_tomans?: string;
  days?: string;
  department_id?: string;
  channels?: string[];
  subject_fa?: string;
  subject_en?: string;
  body_fa?: string;
  body_en?: string;
  rate_per_minute?: string;
}

export interface BroadcastsPageProps extends I18n {
  broadcasts: BroadcastRow[];
  departments: { id: number; name: string }[];
  values?: ComposeValues;
  problem?: string;
}

export function BroadcastsPage(props: BroadcastsPageProps) {
  const { t, locale, broadcasts, departments, values = {}, problem } = props;
  const channels = values.channels ?? ["in_app"];
  return (
    <>
      <Breadcrumbs t={t} />
      <h1>{t("admin.broadcasts.title")}</h1>
      <DataTable
        caption={t("admin.broadcasts.title")}
        rows={broadcasts}
        empty={t("admin.broadcasts.empty")}
        rowAttributes={(b) => ({ "data-broadcast": String(b.id) })}
        columns={[
          { header: "#", cell: (b) => <a href={`/admin/broadcasts/${b.id}`}>{formatId(b.id, locale)}</a> },
          {
            header: t("admin.broadcasts.name"),
            cell: (b) => <a href={`/admin/broadcasts/${b.id}`}>{b.title}</a>,
          },
          { header: t("admin.notifications.status"), cell: (b) => t(BROADCAST_STATUS_LABELS[b.status]) },
          { header: t("admin.broadcasts.created"), cell: (b) => formatDate(new Date(b.created_at), locale) },
          { header: t("admin.broadcasts.segment"), numeric: true, cell: (b) => count(props, b.recipients) },
        ]}
      />
      <h2 id="compose">{t("admin.broadcasts.new")}</h2>
      <FormAlert kind="error" text={problem} />
      <form method="post" action="/admin/broadcasts" class="card" aria-labelledby="compose">
        <TextField name="title" label={t("admin.broadcasts.name")} value={values.title} maxLength={200} />
        <fieldset class="fieldset">
          <legend>{t("admin.broadcasts.segment")}</legend>
          <div class="segment-fields">
            <SelectField
              name="segment_kind"
              label={t("admin.broadcasts.segment")}
              value={values.segment_kind ?? "all"}
              options={SEGMENT_KINDS.map((k) => ({ value: k, label: t(SEGMENT_LABELS[k]) }))}
            />
            <SelectField
              name="role"
              label={t("admin.broadcasts.role")}
              value={values.role ?? "user"}
              options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
            />
            <TextField
              name="amount_tomans"
              label={t("admin.broadcasts.amount")}
              value={values.amount_tomans}
              inputMode="numeric"
              dir="ltr"
              maxLength={17}
            />
            <TextField
              name="days"
              label={t("admin.broadcasts.days")}
              value={values.days}
              inputMode="numeric"
              dir="ltr"
              maxLength={4}
            />
            <SelectField
              name="department_id"
              label={t("admin.broadcasts.department")}
              value={values.department_id ?? ""}
              options={departments.map((d) => ({ value: String(d.id), label: d.name }))}
            />
          </div>
        </fieldset>
        <fieldset class="fieldset">
          <legend>{t("admin.broadcasts.channels")}</legend>
          {BROADCAST_CHANNELS.map((ch) => (
            <CheckboxField
              name={`channel.${ch}`}
              id={`channel-${ch}`}
              label={t(CHANNEL_LABELS[ch])}
              checked={channels.includes(ch)}
            />
          ))}
        </fieldset>
        <div class="broadcast-previews">
          <div>
            <TextField
              name="subject_fa"
              label={t("admin.broadcasts.subjectFa")}
              value={values.subject_fa}
              maxLength={200}
            />
            <LocalizedTextArea
              name="body_fa"
              label={t("admin.broadcasts.bodyFa")}
              value={values.body_fa}
              lang="fa"
              maxLength={2000}
              rows={4}
            />
          </div>
          <div>
            <TextField
              name="subject_en"
              label={t("admin.broadcasts.subjectEn")}
              value={values.subject_en}
              maxLength={200}
              dir="ltr"
            />
            <LocalizedTextArea
              name="body_en"
              label={t("admin.broadcasts.bodyEn")}
              value={values.body_en}
              lang="en"
              maxLength={2000}
              rows={4}
            />
          </div>
        </div>
        <TextField
          name="rate_per_minute"
          label={t("admin.broadcasts.rate")}
          value={values.rate_per_minute ?? formatId(6000, locale)}
          inputMode="numeric"
          dir="ltr"
          maxLength={7}
        />
        <p class="hint">{t("admin.broadcasts.preferencesNote")}</p>
        <div class="form-actions">
          <button type="submit">{t("admin.broadcasts.saveDraft")}</button>
        </div>
      </form>
    </>
  );
}

export interface BroadcastPageProps extends I18n {
  broadcast: BroadcastRow;
  recipients: number;
  progress: Progress;
  notice?: string;
}

function Preview(
  { lang, subject, body, title }: { lang: "fa" | "en"; subject: string; body: string; title: string },
) {
  return (
    <section class="card" lang={lang} dir={lang === "fa" ? "rtl" : "ltr"} data-preview={lang}>
      <h3>{title}</h3>
      <p>
        <strong>{subject}</strong>
      </p>
      <div class="template-preview">{body}</div>
    </section>
  );
}

/** How often an open broadcast page asks for its numbers while the broadcast is sending or paused. */
const LIVE_INTERVAL_MS = 1500;

export function BroadcastPage(props: BroadcastPageProps) {
  const { t, locale, broadcast: b, recipients, progress, notice } = props;
  const subject = b.subject as Record<string, string>;
  const body = b.body as Record<string, string>;
  // The badge and the progress bar follow one feed of the same numbers (islands/broadcast_feed.ts).
  const source = `/admin/broadcasts/${b.id}/progress`;
  const live = { status: b.status, ...progress };
  return (
    <>
      <Breadcrumbs t={t}>
        <a href="/admin/broadcasts">{t("admin.broadcasts.title")}</a>
      </Breadcrumbs>
      <h1>{b.title}</h1>
      <div class="broadcast-meta">
        {b.status === "draft"
          ? (
            <span class="badge" id="broadcast-status" data-status={b.status}>
              {t(BROADCAST_STATUS_LABELS[b.status])}
            </span>
          )
          : (
            <BroadcastStatusIsland
              source={source}
              intervalMs={LIVE_INTERVAL_MS}
              progress={live}
              labels={Object.fromEntries(
                Object.entries(BROADCAST_STATUS_LABELS).map(([status, key]) => [status, t(key)]),
              )}
            />
          )}
        <span aria-hidden="true">·</span>
        <span>
          {b.channels.map((ch) => t(CHANNEL_LABELS[ch as keyof typeof CHANNEL_LABELS])).join(
            locale === "fa" ? "، " : ", ",
          )}
        </span>
      </div>
      {notice && <Notice kind="success" text={notice} />}
      {b.status === "draft" && (
        <p class="lead" id="recipient-count" data-count={String(recipients)}>
          {t("admin.broadcasts.recipients", { count: count(props, recipients) })}
        </p>
      )}
      <div class="broadcast-previews">
        <Preview
          lang="fa"
          title={t("admin.broadcasts.previewFa")}
          subject={subject.fa || b.title}
          body={body.fa}
        />
        <Preview
          lang="en"
          title={t("admin.broadcasts.previewEn")}
          subject={subject.en || b.title}
          body={body.en}
        />
      </div>
      <BroadcastActionsIsland
        base={`/admin/broadcasts/${b.id}`}
        source={source}
        intervalMs={LIVE_INTERVAL_MS}
        progress={live}
        labels={{
          start: t("admin.broadcasts.start"),
          resume: t("admin.broadcasts.resume"),
          pause: t("admin.broadcasts.pause"),
          cancel: t("admin.broadcasts.cancel"),
        }}
      />
      {b.status !== "draft" && (
        <section class="card">
          <h2>{t("admin.broadcasts.progress")}</h2>
          <BroadcastProgressIsland
            locale={locale}
            source={source}
            intervalMs={LIVE_INTERVAL_MS}
            progress={live}
            labels={{
              title: t("admin.broadcasts.progress"),
              sent: t("admin.broadcasts.sent"),
              failed: t("admin.broadcasts.failed"),
              remaining: t("admin.broadcasts.remaining"),
              cancelled: t("admin.broadcasts.cancelledRows"),
              percent: t("admin.broadcasts.percent"),
            }}
          />
          <p>
            <a href={`/admin/broadcasts/${b.id}`}>{t("admin.broadcasts.refresh")}</a>
          </p>
        </section>
      )}
    </>
  );
}
