/** Labels shared by the notification pages: category and channel names as literal catalogue keys. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { Channel } from "../../lib/notifications/preferences.ts";

export const CATEGORY_LABELS: Record<string, MessageKey> = {
  money: "notifications.category.money",
  tickets: "notifications.category.tickets",
  security: "notifications.category.security",
  account: "notifications.category.account",
  broadcasts: "notifications.category.broadcasts",
};

export const CHANNEL_LABELS: Record<Channel, MessageKey> = {
  in_app: "notifications.channel.in_app",
  email: "notifications.channel.email",
  sms: "notifications.channel.sms",
  whatsapp: "notifications.channel.whatsapp",
};

/** A category's name (its key when a newer category has no label yet). */
export function categoryName(t: (key: MessageKey) => string, key: string): string {
  const label = CATEGORY_LABELS[key];
  return label ? t(label) : key;
}

/** A required text area for text in one language (template bodies, broadcast messages). */
export function LocalizedTextArea(
  { name, label, value, lang, maxLength, rows }: {
    name: string;
    label: string;
    value?: string;
    lang: "fa" | "en";
    maxLength: number;
    rows: number;
  },
) {
  return (
    <div class="field">
      <label for={`field-${name}`}>{label}</label>
      <textarea
        id={`field-${name}`}
        name={name}
        class="template-body"
        required
        maxLength={maxLength}
        rows={rows}
        lang={lang}
        dir={lang === "fa" ? "rtl" : "ltr"}
      >
        {value ?? ""}
      </textarea>
    </div>
  );
}
