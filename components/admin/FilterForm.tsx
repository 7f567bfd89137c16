/** A staff list's filter form (GET): the list's own fields, a from–to day range, Filter and Clear filters. */
import type { ComponentChildren } from "preact";
import { DayField } from "../forms/DayField.tsx";
import type { PageProps } from "./shell.tsx";
import type { DayRange } from "../../lib/i18n/day_range.ts";

export interface FilterFormProps extends PageProps {
  /** The list's URL: where the form goes, and the "clear filters" link. */
  action: string;
  label: string;
  from?: string;
  to?: string;
  /** Days typed that were no real day, and their errors (the page then answers 400 with this form kept). */
  days?: Pick<DayRange, "typed" | "errors">;
  /** Fields before the day range. */
  children: ComponentChildren;
  /** Fields after the day range (e.g. a checkbox). */
  after?: ComponentChildren;
}

export function FilterForm(
  { t, locale, action, label, from, to, days, children, after }: FilterFormProps,
) {
  const error = (name: "from" | "to") => days?.errors[name] && t(days.errors[name]);
  return (
    <form method="get" action={action} class="card filters" aria-label={label}>
      {children}
      {(["from", "to"] as const).map((name) => (
        <DayField
          name={name}
          label={t(name === "from" ? "admin.audit.from" : "admin.audit.to")}
          value={name === "from" ? from : to}
          typed={days?.typed[name]}
          error={error(name)}
          locale={locale}
          t={t}
        />
      ))}
      {after}
      <div class="form-actions">
        <button type="submit">{t("admin.audit.filter")}</button>
        <a href={action}>{t("admin.audit.clear")}</a>
      </div>
    </form>
  );
}
