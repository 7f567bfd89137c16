/**
 * A day field for filters: the browser's date picker in English; in Persian a text field for a
 * Persian-calendar day (browsers' pickers are Gregorian only), e.g. ۱۴۰۵/۰۱/۱۵, with a Persian month-grid
 * picker once JavaScript runs (islands/PersianDayPicker.tsx). The server reads either with `readDayRange`
 * (lib/i18n/day_range.ts) and hands back an ISO day, shown here the reader's way — or, when the day was no
 * real day, the typed text again with an inline error.
 */
import type { Locale } from "../../lib/i18n/mod.ts";
import { persianDayText } from "../../lib/i18n/calendar_date.ts";
import type { Translate } from "../ui/types.ts";
import { PersianDayPickerIsland } from "../islands.ts";
import { describedBy, FieldError } from "./Field.tsx";

export interface DayFieldProps {
  name: string;
  label: string;
  /** An ISO day (YYYY-MM-DD), as parsed from the query. */
  value?: string;
  /** The text typed when it was no real day (shown again, with `error`). */
  typed?: string;
  error?: string;
  locale: Locale;
  t: Translate;
  id?: string;
}

export function DayField(
  { name, label, value, typed, error, locale, t, id = `field-${name}` }: DayFieldProps,
) {
  const persian = locale === "fa";
  const shown = typed ?? (value ? (persian ? persianDayText(value) : value) : "");
  const described = describedBy(id, undefined, error);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {persian
        ? (
          <PersianDayPickerIsland
            id={id}
            name={name}
            value={shown}
            invalid={!!error}
            describedBy={described}
            labels={{
              open: t("form.day.open"),
              dialog: t("form.day.dialog"),
              previous: t("form.day.previous"),
              next: t("form.day.next"),
              close: t("form.day.close"),
            }}
          />
        )
        : (
          <input
            id={id}
            name={name}
            // A typed text that is no day cannot be shown by a date input: kept as text with its error.
            type={typed ? "text" : "date"}
            value={shown}
            autocomplete="off"
            dir="ltr"
            aria-invalid={error ? "true" : undefined}
            aria-describedby={described}
          />
        )}
      <FieldError id={id} text={error} />
    </div>
  );
}
