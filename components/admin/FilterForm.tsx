/** A staff list's filter form (GET): the list's own fields, a from–to day range, Filter and Clear filters. */
import type { ComponentChildren } from "preact";
import { DayField } from "../forms/DayField.tsx";
import type { PageProps } from "./shell.tsx";

export interface FilterFormProps extends PageProps {
  /** The list's URL: where the form goes, and the "clear filters" link. */
  action: string;
  label: string;
  from?: string;
  to?: string;
  /** Fields before the day range. */
  children: ComponentChildren;
  /** Fields after the day range (e.g. a checkbox). */
  after?: ComponentChildren;
}

export function FilterForm({ t, locale, action, label, from, to, children, after }: FilterFormProps) {
  return (
    <form method="get" action={action} class="card filters" aria-label={label}>
      {children}
      <DayField name="from" label={t("admin.audit.from")} value={from} locale={locale} />
      <DayField name="to" label={t("admin.audit.to")} value={to} locale={locale} />
      {after}
      <div class="form-actions">
        <button type="submit">{t("admin.audit.filter")}</button>
        <a href={action}>{t("admin.audit.clear")}</a>
      </div>
    </form>
  );
}
