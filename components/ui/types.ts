/** What the ui components take from a request: its translator and its locale. */
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface I18n {
  t: Translate;
  locale: Locale;
}
