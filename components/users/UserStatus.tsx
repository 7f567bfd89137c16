/** A user's account state as a badge: banned (until when), unconfirmed, or active. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";

export function UserStatus(
  { t, locale, bannedUntil, confirmedAt }: {
    t: (key: MessageKey, params?: Record<string, string>) => string;
    locale: "fa" | "en";
    bannedUntil: Date | null;
    confirmedAt: Date | null;
  },
) {
  if (bannedUntil && bannedUntil.getTime() > Date.now()) {
    const permanent = bannedUntil.getTime() - Date.now() > 50 * 365 * 86_400_000;
    return (
      <span class="badge badge-danger">
        {permanent ? t("admin.status.bannedForever") : t("admin.status.banned", {
          until: formatDate(bannedUntil, locale, { time: true }),
        })}
      </span>
    );
  }
  if (!confirmedAt) return <span class="badge badge-warning">{t("admin.status.unconfirmed")}</span>;
  return <span class="badge">{t("admin.status.active")}</span>;
}
