/**
 * A page's from–to day filters, read leniently: a day that is no real day does not answer the generic error
 * page but comes back as a field error, so the page renders again (400) with the typed text kept beside an
 * inline message. The CSV exports, which have no form, refuse such a day (`strictDayRange`).
 */
import { text } from "../http/schemas.ts";
import { optionalField } from "../http/form_fields.ts";
import type { FieldErrors } from "../http/form_errors.ts";
import { parseCalendarDay } from "./calendar_date.ts";
import { requestErrors } from "../errors.ts";

/** A day filter as typed (Persian or ISO, any digits), parsed later by `readDayRange`. */
export const typedDay = optionalField(text().trim().max(40));

export interface DayRange {
  /** The ISO days that parsed (a bad one is left out, so the rest of the filters still apply). */
  from?: string;
  to?: string;
  /** What was typed in a field that did not parse, to show it again. */
  typed: { from?: string; to?: string };
  errors: FieldErrors;
}

/** Parses the typed `from` and `to`; a bad day or a range that ends before it starts is a field error. */
export function readDayRange(query: { from?: string; to?: string }): DayRange {
  const range: DayRange = { typed: {}, errors: {} };
  for (const name of ["from", "to"] as const) {
    const typed = query[name];
    if (!typed) continue;
    const iso = parseCalendarDay(typed);
    if (iso) range[name] = iso;
    else {
      range.typed[name] = typed;
      range.errors[name] = "form.error.day";
    }
  }
  if (range.from && range.to && range.to < range.from) {
    range.typed.to = query.to;
    range.errors.to = "form.error.dayRange";
    range.to = undefined;
  }
  return range;
}

/** True when the range has a field error (the page then answers 400). */
export const hasDayErrors = (range: DayRange) => Object.keys(range.errors).length > 0;

/**
 * A list page's filters with the typed days read: the filters carry the days that parsed (a bad one left
 * out), `days` feeds the form, and `status` is what the page answers (400 when a day has a field error).
 */
export function readDayFilters<Q extends { from?: string; to?: string }>(
  typed: Q,
): { filters: Q; days: DayRange; status: 200 | 400 } {
  const days = readDayRange(typed);
  return {
    filters: { ...typed, from: days.from, to: days.to },
    days,
    status: hasDayErrors(days) ? 400 : 200,
  };
}

/** For exports and links, where there is no form to show an error on: a bad day is `invalid_input`. */
export function strictDayRange(query: { from?: string; to?: string }): { from?: string; to?: string } {
  const range = readDayRange(query);
  const field = Object.keys(range.errors)[0];
  if (field) {
    throw requestErrors.refuse("invalid_input", { field, reason: "not a day" }, `${field}: not a day`);
  }
  return { from: range.from, to: range.to };
}
