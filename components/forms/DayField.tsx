/**
 * A day field for filters: the browser's date picker in English; in Persian a text field for a
 * Persian-calendar day (browsers' pickers are Gregorian only), e.g. ۱۴۰۵/۰۱/۱۵. The server reads either
 * with `calendarDay` (lib/i18n/calendar_date.ts) and hands back an ISO day, shown here the reader's way.
 */
import type { Locale } from "../../lib/i18n/mod.ts";
import { persianDayText } from "../../lib/i18n/calendar_date.ts";

export interface DayFieldProps {
  name: string;
  label: string;
  /** An ISO day (YYYY-MM-DD), as parsed from the query. */
  value?: string;
  locale: Locale;
  id?: string;
}

export function DayField({ name, label, value, locale, id = `field-${name}` }: DayFieldProps) {
  const persian = locale === "fa";
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={persian ? "text" : "date"}
        value={value ? (persian ? persianDayText(value) : value) : ""}
        placeholder={persian ? "۱۴۰۵/۰۱/۱۵" : undefined}
        inputMode={persian ? "numeric" : undefined}
        autocomplete="off"
        dir="ltr"
      />
    </div>
  );
}
