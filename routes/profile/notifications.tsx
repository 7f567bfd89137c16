// routes/profile/notifications.tsx — GET/POST /profile/notifications (notification preferences; a plain form).
// Unchecked boxes are "off"; boxes the page could not offer (SMS without a verified phone, WhatsApp for +98,
// the always-on security row) are left as they are. Bad times or an unknown time zone re-render with errors.
import { z } from "zod";
import { userRoutes } from "../../lib/auth/guards.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import type { AppContext } from "../../lib/http/env.ts";
import {
  type Channel,
  CHANNELS,
  channelUnavailable,
  getPreferences,
  type Preferences,
  type PreferencesChange,
  savePreferences,
} from "../../lib/notifications/preferences.ts";
import { renderPage } from "../../components/render.tsx";
import { PreferencesPage } from "../../components/notifications/PreferencesPage.tsx";

/** Asia/Tehran first, then every zone this runtime knows (Postgres knows them too). */
const TIME_ZONES: readonly string[] = [
  "Asia/Tehran",
  ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "Asia/Tehran"),
  "UTC",
].filter((zone, i, all) => all.indexOf(zone) === i);

const time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "notifications.prefs.invalidTime");
const form = z.object({
  quiet_start: time,
  quiet_end: time,
  time_zone: z.string().refine((zone) => TIME_ZONES.includes(zone), "form.error.invalid"),
}).catchall(z.string().max(10));

async function render(
  c: AppContext,
  extra: { saved?: boolean; errors?: FieldErrors; edited?: Partial<Preferences["quietHours"]> } = {},
  status?: 400,
) {
  const me = c.var.user().sub;
  const prefs = await c.var.asUser((tx) => getPreferences(tx, me));
  if (extra.edited) prefs.quietHours = { ...prefs.quietHours, ...extra.edited };
  const { t, locale } = c.var;
  return renderPage(
    c,
    <PreferencesPage
      t={t}
      locale={locale}
      prefs={prefs}
      timeZones={TIME_ZONES}
      saved={extra.saved}
      errors={extra.errors}
    />,
    { title: t("notifications.prefs.title"), status },
  );
}

export const notificationPreferences = userRoutes()
  .get("/", (c) => render(c, { saved: c.req.query("notice") === "saved" }))
  .post(
    "/",
    formValidator(form, (c, errors, values) =>
      render(c, {
        errors,
        edited: { start: values.quiet_start ?? "", end: values.quiet_end ?? "" },
      }, 400)),
    async (c) => {
      const posted = c.req.valid("form") as Record<string, string>;
      const on = (name: string) => posted[name] === "on";
      const me = c.var.user().sub;
      await c.var.asUser(async (tx) => {
        const current = await getPreferences(tx, me);
        const offered = CHANNELS.filter((ch) => !channelUnavailable(ch, current.phone));
        const pick = (prefix: string) =>
          Object.fromEntries(offered.map((ch) => [ch, on(`${prefix}.${ch}`)])) as Partial<
            Record<Channel, boolean>
          >;
        const change: PreferencesChange = {
          channels: pick("channel"),
          quietHours: {
            enabled: on("quiet_enabled"),
            start: posted.quiet_start,
            end: posted.quiet_end,
            timeZone: posted.time_zone,
          },
          digest: on("digest"),
          categories: Object.fromEntries(
            current.categories.filter((k) => k.priority !== "critical").map((
              k,
            ) => [k.key, pick(`cat.${k.key}`)]),
          ),
        };
        await savePreferences(tx, me, change);
      });
      return c.redirect("/profile/notifications?notice=saved", 303);
    },
  );
