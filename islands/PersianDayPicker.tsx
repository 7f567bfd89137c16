/**
 * A Persian-calendar day field: the text input (which works, and posts, without JavaScript) and, once hydrated,
 * a button that opens a month grid (Persian month names, Saturday-first weeks). The grid follows the WAI-ARIA
 * date-picker dialog pattern: arrows move a day or a week (right-to-left: ← is the next day), Page Up/Down a
 * month, Home/End the week's first and last day, Enter or Space picks the day into the input, Escape closes.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import {
  addDays,
  addMonths,
  monthWeeks,
  PERSIAN_MONTHS,
  PERSIAN_WEEKDAY_SHORT,
  PERSIAN_WEEKDAYS,
  type PersianDay,
  persianDayLabel,
  persianDayName,
  persianNumber,
  persianToday,
  readPersianDay,
  sameDay,
  weekdayIndex,
} from "../lib/i18n/persian_calendar.ts";

export interface PersianDayPickerProps extends Record<string, unknown> {
  id: string;
  name: string;
  value: string;
  invalid?: boolean;
  describedBy?: string;
  labels: { open: string; dialog: string; previous: string; next: string; close: string };
}

export function PersianDayPicker({ id, name, value, invalid, describedBy, labels }: PersianDayPickerProps) {
  const [hydrated, setHydrated] = useState(false);
  const [open, setOpen] = useState(false);
  // Controlled, so a re-render never puts back the value the server rendered.
  const [text, setText] = useState(value);
  const [focus, setFocus] = useState<PersianDay>(persianToday());
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const grid = useRef<HTMLTableElement>(null);
  useEffect(() => {
    // What was typed before hydration stays.
    if (input.current) setText(input.current.value);
    setHydrated(true);
  }, []);
  // The focused day takes the keyboard focus whenever it moves while the grid is open (before painting).
  useLayoutEffect(() => {
    if (open) grid.current?.querySelector<HTMLElement>("[tabindex='0']")?.focus();
  }, [open, focus]);

  const selected = () => readPersianDay(input.current?.value ?? text);
  const show = () => {
    setFocus(selected() ?? persianToday());
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const pick = (day: PersianDay) => {
    setText(persianDayLabel(day));
    setOpen(false);
    input.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const rtl = getComputedStyle(event.currentTarget as Element).direction === "rtl";
    const moves: Record<string, () => PersianDay> = {
      ArrowRight: () => addDays(focus, rtl ? -1 : 1),
      ArrowLeft: () => addDays(focus, rtl ? 1 : -1),
      ArrowDown: () => addDays(focus, 7),
      ArrowUp: () => addDays(focus, -7),
      PageDown: () => addMonths(focus, event.shiftKey ? 12 : 1),
      PageUp: () => addMonths(focus, event.shiftKey ? -12 : -1),
      Home: () => addDays(focus, -weekdayIndex(focus)),
      End: () => addDays(focus, 6 - weekdayIndex(focus)),
    };
    if (moves[event.key]) setFocus(moves[event.key]());
    else if (event.key === "Enter" || event.key === " ") pick(focus);
    else if (event.key === "Escape") close();
    else return;
    event.preventDefault();
  };

  const current = selected();
  const headingId = `${id}-month`;
  const dialogId = `${id}-calendar`;
  return (
    <div class="day-picker">
      <input
        ref={input}
        id={id}
        name={name}
        type="text"
        value={text}
        onInput={(event) => setText((event.target as HTMLInputElement).value)}
        placeholder="۱۴۰۵/۰۱/۱۵"
        inputMode="numeric"
        autoComplete="off"
        dir="ltr"
        aria-invalid={invalid ? "true" : undefined}
        aria-describedby={describedBy}
      />
      {hydrated && (
        <button
          ref={toggle}
          type="button"
          class="button button-ghost button-small day-picker-toggle"
          aria-haspopup="dialog"
          aria-expanded={open ? "true" : "false"}
          aria-controls={dialogId}
          onClick={() => open ? close() : show()}
        >
          {labels.open}
        </button>
      )}
      {open && (
        <div
          id={dialogId}
          class="day-picker-dialog"
          role="dialog"
          aria-modal="false"
          aria-label={labels.dialog}
          onKeyDown={(event) => {
            if (event.key === "Escape" && !event.defaultPrevented) {
              event.preventDefault();
              close();
            }
          }}
        >
          <div class="day-picker-head">
            <button
              type="button"
              class="button button-ghost button-small"
              aria-label={labels.previous}
              onClick={() => setFocus(addMonths(focus, -1))}
            >
              ›
            </button>
            <h2 id={headingId} aria-live="polite">
              {PERSIAN_MONTHS[focus.jm - 1]} {persianNumber(focus.jy)}
            </h2>
            <button
              type="button"
              class="button button-ghost button-small"
              aria-label={labels.next}
              onClick={() => setFocus(addMonths(focus, 1))}
            >
              ‹
            </button>
          </div>
          <table ref={grid} role="grid" aria-labelledby={headingId} onKeyDown={onKeyDown}>
            <thead>
              <tr>
                {PERSIAN_WEEKDAY_SHORT.map((short, i) => (
                  <th scope="col" abbr={PERSIAN_WEEKDAYS[i]} title={PERSIAN_WEEKDAYS[i]}>{short}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthWeeks(focus.jy, focus.jm).map((week) => (
                <tr>
                  {week.map((jd, i) => {
                    if (jd === null) return <td key={`blank-${i}`} />;
                    const day = { jy: focus.jy, jm: focus.jm, jd };
                    const isFocus = jd === focus.jd;
                    return (
                      <td
                        key={jd}
                        role="gridcell"
                        tabIndex={isFocus ? 0 : -1}
                        aria-selected={sameDay(day, current) ? "true" : undefined}
                        aria-current={sameDay(day, persianToday()) ? "date" : undefined}
                        aria-label={persianDayName(day)}
                        data-day={persianDayLabel(day)}
                        onClick={() => pick(day)}
                      >
                        {persianNumber(jd)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="button button-ghost button-small" onClick={close}>
            {labels.close}
          </button>
        </div>
      )}
    </div>
  );
}
