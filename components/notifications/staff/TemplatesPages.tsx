/**
 * /admin/notifications/templates: every event with a link per channel × locale; and the editor of one template
 * (subject and body with the event's variables, saved by a plain form; the preview is rendered by the server
 * when "Preview" is pressed, and live by the TemplatePreview island as staff type).
 */
import type { Locale } from "../../../lib/i18n/mod.ts";
import {
  type EventInfo,
  LOCALES,
  TEMPLATE_CHANNELS,
  type TemplateRow,
} from "../../../lib/notifications/staff.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import { TemplatePreviewIsland } from "../../islands.ts";
import { Notice } from "../../ui/Notice.tsx";
import type { I18n } from "../../ui/types.ts";
import { categoryName, CHANNEL_LABELS, LocalizedTextArea } from "../parts.tsx";
import { LOCALE_LABELS, NotificationsNav } from "./parts.tsx";

export function TemplatesPage(
  { t, events, templates }: I18n & { events: EventInfo[]; templates: TemplateRow[] },
) {
  const has = (e: string, ch: string, l: string) =>
    templates.some((x) => x.event === e && x.channel === ch && x.locale === l);
  return (
    <>
      <Breadcrumbs t={t}>
        <a href="/admin/notifications">{t("admin.notifications.title")}</a>
      </Breadcrumbs>
      <h1>{t("admin.notifications.templates")}</h1>
      <NotificationsNav t={t} current="/admin/notifications/templates" />
      <p class="lead">{t("admin.notifications.templatesIntro")}</p>
      <div class="table-wrap">
        <table class="table template-grid">
          <caption class="visually-hidden">{t("admin.notifications.templates")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("admin.notifications.event")}</th>
              {TEMPLATE_CHANNELS.map((ch) => <th key={ch} scope="col">{t(CHANNEL_LABELS[ch])}</th>)}
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr data-event={e.key}>
                <th scope="row">
                  <bdi dir="ltr">{e.key}</bdi>
                  <br />
                  <span class="muted">{categoryName(t, e.category)}</span>
                </th>
                {TEMPLATE_CHANNELS.map((ch) => (
                  <td>
                    {LOCALES.filter((l) => has(e.key, ch, l)).map((l) => (
                      <>
                        <a href={`/admin/notifications/templates/${e.key}/${ch}/${l}`}>{l}</a>
                        {" "}
                      </>
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export interface TemplateEditPageProps extends I18n {
  event: EventInfo;
  template: TemplateRow;
  /** What the form shows (the saved text, or what was posted). */
  text: { subject: string; body: string };
  saved?: boolean;
  problem?: string;
}

export function TemplateEditPage(props: TemplateEditPageProps) {
  const { t, locale, event, template, text, saved, problem } = props;
  const tplLocale = template.locale as Locale;
  const action = `/admin/notifications/templates/${template.event}/${template.channel}/${template.locale}`;
  const hasSubject = template.channel === "in_app" || template.channel === "email";
  return (
    <>
      <Breadcrumbs t={t}>
        <a href="/admin/notifications/templates">{t("admin.notifications.templates")}</a>
      </Breadcrumbs>
      <h1>
        <bdi dir="ltr">{template.event}</bdi> ·{" "}
        {t(CHANNEL_LABELS[template.channel as keyof typeof CHANNEL_LABELS])}
        {" · "}
        {t(LOCALE_LABELS[template.locale])}
      </h1>
      {saved && <Notice kind="success" text={t("admin.notifications.saved")} />}
      {problem && <Notice kind="error" text={problem} />}
      <p>
        {t("admin.notifications.variables")}: {event.variables.length
          ? event.variables.map((v) => <code key={v} dir="ltr">{`{{${v}}} `}</code>)
          : "—"}
      </p>
      <form method="post" action={action} class="card">
        {hasSubject && (
          <div class="field">
            <label for="field-subject">{t("admin.notifications.subject")}</label>
            <input
              id="field-subject"
              name="subject"
              value={text.subject}
              maxLength={200}
              lang={tplLocale}
              dir={tplLocale === "fa" ? "rtl" : "ltr"}
            />
          </div>
        )}
        {!hasSubject && <input type="hidden" name="subject" value={text.subject} />}
        <LocalizedTextArea
          name="body"
          label={t("admin.notifications.body")}
          value={text.body}
          lang={tplLocale}
          maxLength={5000}
          rows={6}
        />
        <div class="form-actions">
          <button type="submit" name="intent" value="save">{t("admin.notifications.save")}</button>
          <button type="submit" name="intent" value="preview" class="button-secondary">
            {t("admin.notifications.preview")}
          </button>
        </div>
      </form>
      <TemplatePreviewIsland
        locale={tplLocale}
        pageLocale={locale}
        channel={template.channel}
        variables={event.variables}
        subject={hasSubject ? text.subject : ""}
        body={text.body}
        labels={{
          preview: `${t("admin.notifications.preview")} (${t("admin.notifications.previewHint")})`,
          smsLength: t("admin.notifications.smsLength"),
          unknown: t("admin.notifications.unknownVariables"),
        }}
      />
    </>
  );
}
