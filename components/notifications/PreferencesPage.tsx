/**
 * /profile/notifications: the global switch per channel, the category × channel grid, quiet hours with a time
 * zone, and the daily digest — one plain form (no JavaScript). SMS can be chosen only with a verified phone;
 * WhatsApp shows as unavailable for +98 numbers (those messages go by SMS); security is always on.
 */
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import {
  type Channel,
  CHANNELS,
  channelUnavailable,
  type Preferences,
} from "../../lib/notifications/preferences.ts";
import { CheckboxField, FormAlert, SelectField } from "../forms/Field.tsx";
import { Notice } from "../ui/Notice.tsx";
import type { I18n } from "../ui/types.ts";
import { categoryName, CHANNEL_LABELS } from "./parts.tsx";

export interface PreferencesPageProps extends I18n {
  prefs: Preferences;
  timeZones: readonly string[];
  saved?: boolean;
  errors?: FieldErrors;
}

function TimeField(
  { name, label, value, error }: { name: string; label: string; value: string; error?: string },
) {
  const id = `field-${name}`;
  return (
    <div class="field field-time">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="time"
        value={value}
        dir="ltr"
        required
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

export function PreferencesPage({ t, prefs, timeZones, saved, errors = {} }: PreferencesPageProps) {
  const why = (channel: Channel) => channelUnavailable(channel, prefs.phone);
  const note = (channel: Channel) => {
    const reason = why(channel);
    return reason === "no_verified_phone"
      ? t("notifications.prefs.noPhone", { channel: t(CHANNEL_LABELS[channel]) })
      : reason === "whatsapp_iran"
      ? t("notifications.prefs.whatsappIran")
      : undefined;
  };
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <>
      <div class="page-head">
        <h1>{t("notifications.prefs.title")}</h1>
        <p class="actions">
          <a class="button button-ghost" href="/notifications">{t("notifications.title")}</a>
        </p>
      </div>
      <p class="lead">{t("notifications.prefs.intro")}</p>
      {saved && <Notice kind="success" text={t("notifications.prefs.saved")} />}
      {hasErrors && <FormAlert kind="error" text={t("form.errorSummary")} />}
      <form method="post" action="/profile/notifications" class="prefs-form" novalidate>
        <section class="card" aria-labelledby="prefs-channels">
          <h2 id="prefs-channels">{t("notifications.prefs.channels")}</h2>
          <p class="hint">{t("notifications.prefs.channelsHint")}</p>
          <div class="prefs-switches">
            {CHANNELS.map((channel) => (
              <div class="checkbox" data-channel={channel}>
                <input
                  id={`channel-${channel}`}
                  type="checkbox"
                  name={`channel.${channel}`}
                  value="on"
                  checked={prefs.channels[channel] && !why(channel)}
                  disabled={!!why(channel)}
                  aria-describedby={note(channel) ? `channel-${channel}-note` : undefined}
                />
                <label for={`channel-${channel}`}>{t(CHANNEL_LABELS[channel])}</label>
                {note(channel) && <p class="hint" id={`channel-${channel}-note`}>{note(channel)}</p>}
              </div>
            ))}
          </div>
        </section>

        <section class="card" aria-labelledby="prefs-grid">
          <h2 id="prefs-grid">{t("notifications.prefs.grid")}</h2>
          <div class="table-wrap">
            <table class="table prefs-grid">
              <caption class="visually-hidden">{t("notifications.prefs.grid")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("notifications.prefs.category")}</th>
                  {CHANNELS.map((channel) => (
                    <th key={channel} scope="col" class="num">{t(CHANNEL_LABELS[channel])}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {prefs.categories.map((category) => {
                  const critical = category.priority === "critical";
                  return (
                    <tr data-category={category.key}>
                      <th scope="row">
                        {categoryName(t, category.key)}
                        {critical && <span aria-hidden="true">*</span>}
                      </th>
                      {CHANNELS.map((channel) => {
                        const off = !!why(channel);
                        const label = `${categoryName(t, category.key)} · ${t(CHANNEL_LABELS[channel])}`;
                        return (
                          <td class="num" data-label={t(CHANNEL_LABELS[channel])}>
                            {off && !critical
                              ? (
                                // A dash keeps the four channel columns within a phone's width; the word is
                                // for screen readers (and the channel's note above says why).
                                <span class="muted" title={t("notifications.prefs.unavailable")}>
                                  <span aria-hidden="true">—</span>
                                  <span class="visually-hidden">{t("notifications.prefs.unavailable")}</span>
                                </span>
                              )
                              : (
                                <input
                                  type="checkbox"
                                  name={`cat.${category.key}.${channel}`}
                                  value="on"
                                  aria-label={label}
                                  checked={critical || category.channels[channel]}
                                  disabled={critical || off}
                                />
                              )}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p class="hint">* {t("notifications.prefs.alwaysOn")}</p>
        </section>

        <section class="card" aria-labelledby="prefs-quiet">
          <h2 id="prefs-quiet">{t("notifications.prefs.quiet")}</h2>
          <CheckboxField
            name="quiet_enabled"
            label={t("notifications.prefs.quietEnabled")}
            checked={prefs.quietHours.enabled}
          />
          <div class="field-row">
            <TimeField
              name="quiet_start"
              label={t("notifications.prefs.quietStart")}
              value={prefs.quietHours.start}
              error={errors.quiet_start && t(errors.quiet_start)}
            />
            <TimeField
              name="quiet_end"
              label={t("notifications.prefs.quietEnd")}
              value={prefs.quietHours.end}
              error={errors.quiet_end && t(errors.quiet_end)}
            />
          </div>
          <SelectField
            name="time_zone"
            label={t("notifications.prefs.timeZone")}
            value={prefs.quietHours.timeZone}
            error={errors.time_zone && t(errors.time_zone)}
            options={timeZones.map((zone) => ({ value: zone, label: zone }))}
          />
        </section>

        <section class="card" aria-labelledby="prefs-digest">
          <h2 id="prefs-digest">{t("notifications.prefs.digest")}</h2>
          <CheckboxField
            name="digest"
            label={t("notifications.prefs.digestEnabled")}
            checked={prefs.digest}
          />
        </section>
        <div class="form-actions">
          <button type="submit">{t("notifications.prefs.save")}</button>
        </div>
      </form>
    </>
  );
}
