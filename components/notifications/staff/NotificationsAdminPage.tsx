/** /admin/notifications: success rates per channel over the last 24 hours, and the way to the other pages. */
import type { ChannelRate } from "../../../lib/notifications/staff.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import type { I18n } from "../../ui/types.ts";
import { CHANNEL_LABELS } from "../parts.tsx";
import { count, NotificationsNav } from "./parts.tsx";
import { numberFormat } from "../../../lib/i18n/format.ts";

const PERCENT = { style: "percent", maximumFractionDigits: 1 } as const;

export function NotificationsAdminPage(props: I18n & { rates: ChannelRate[] }) {
  const { t, locale, rates } = props;
  const percent = (rate: number) => numberFormat(locale === "fa" ? "fa-IR" : "en-US", PERCENT).format(rate);
  return (
    <>
      <Breadcrumbs t={t} />
      <h1>{t("admin.notifications.title")}</h1>
      <NotificationsNav t={t} current="/admin/notifications" />
      <h2>{t("admin.notifications.rates")}</h2>
      <ul class="rates">
        {rates.map((r) => (
          <li class="card stat" data-channel={r.channel}>
            <span class="label">{t(CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS])}</span>
            <span class="value" data-rate={r.rate === null ? "" : String(r.rate)}>
              {r.rate === null ? t("admin.notifications.rateNone") : t("admin.notifications.rate", {
                rate: percent(r.rate),
              })}
            </span>
            <span class="muted">
              {t("admin.notifications.rateCounts", {
                succeeded: count(props, r.succeeded),
                failed: count(props, r.failed),
                waiting: count(props, r.waiting),
              })}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
