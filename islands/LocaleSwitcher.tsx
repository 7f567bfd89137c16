/** Language switcher: a plain form without JS; with JS it switches on change without a submit click. */
import { useRef } from "preact/hooks";

export interface LocaleSwitcherProps extends Record<string, unknown> {
  current: "fa" | "en";
  label: string;
  /** Text of the submit button shown only without JavaScript. */
  applyLabel: string;
  names: { fa: string; en: string };
  returnTo: string;
}

export function LocaleSwitcher({ current, label, applyLabel, names, returnTo }: LocaleSwitcherProps) {
  const form = useRef<HTMLFormElement>(null);
  return (
    <form method="post" action="/locale" ref={form} class="locale-switcher">
      <input type="hidden" name="return_to" value={returnTo} />
      <label>
        <span class="visually-hidden">{label}</span>
        <select
          name="locale"
          aria-label={label}
          onChange={() => form.current?.requestSubmit()}
        >
          {(["fa", "en"] as const).map((code) => (
            <option value={code} selected={code === current} lang={code}>{names[code]}</option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit" class="button-small">{applyLabel}</button>
      </noscript>
    </form>
  );
}
