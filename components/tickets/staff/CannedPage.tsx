/** Canned responses (/admin/tickets/canned): the list by department and a form to add one in fa and en. */
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import type { CannedResponse, Department } from "../../../lib/tickets/store.ts";
import { Breadcrumbs } from "../../admin/shell.tsx";
import { DataTable } from "../../ui/DataTable.tsx";
import { Notice } from "../../ui/Notice.tsx";
import type { I18n } from "../../ui/types.ts";
import { departmentName } from "./parts.tsx";

export interface CannedPageProps extends I18n {
  canned: CannedResponse[];
  departments: Department[];
  notice?: "created" | "deleted";
  problem?: string;
  values?: Record<string, string>;
}

/** The text of a canned response in one language (typed in that language's direction). */
function BodyField(
  { id, name, lang, label, values, hint }: {
    id: string;
    name: string;
    lang: "fa" | "en";
    label: string;
    values: Record<string, string>;
    hint?: string;
  },
) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        required
        rows={4}
        maxLength={10000}
        dir={lang === "fa" ? "rtl" : "ltr"}
        lang={lang}
      >
        {values[name] ?? ""}
      </textarea>
      {hint && <p class="hint">{hint}</p>}
    </div>
  );
}

export function CannedPage(
  { t, locale, canned, departments, notice, problem, values = {} }: CannedPageProps,
) {
  return (
    <div class="stack tickets-canned">
      <Breadcrumbs t={t}>
        <a href="/admin/tickets">{t("tickets.staff.queue.title")}</a>
      </Breadcrumbs>
      <h1>{t("tickets.staff.canned.title")}</h1>
      <p class="lead">{t("tickets.staff.canned.lead")}</p>
      <Notice kind="success" text={notice && t(`tickets.staff.canned.${notice}` as MessageKey)} />
      <Notice kind="error" text={problem} />
      <DataTable
        caption={t("tickets.staff.canned.title")}
        empty={t("tickets.staff.canned.empty")}
        rows={canned}
        rowAttributes={(c) => ({ "data-canned": c.id })}
        columns={[
          { header: t("tickets.staff.canned.name"), cell: (c) => <bdi>{c.title}</bdi> },
          {
            header: t("tickets.staff.department"),
            cell: (c) =>
              c.departmentId === null
                ? t("tickets.staff.allDepartments")
                : departmentName(departments, c.departmentId, locale),
          },
          { header: "فارسی", cell: (c) => <span lang="fa" dir="rtl" class="canned-body">{c.bodyFa}</span> },
          { header: "English", cell: (c) => <span lang="en" dir="ltr" class="canned-body">{c.bodyEn}</span> },
          {
            header: <span class="visually-hidden">{t("tickets.staff.canned.delete")}</span>,
            cell: (c) => (
              <form method="post" action={`/admin/tickets/canned/${c.id}/delete`}>
                <button type="submit" class="button button-small button-danger">
                  {t("tickets.staff.canned.delete")}
                </button>
              </form>
            ),
          },
        ]}
      />
      <form method="post" action="/admin/tickets/canned" class="card stack canned-new">
        <h2>{t("tickets.staff.canned.add")}</h2>
        <div class="field">
          <label for="canned-title">{t("tickets.staff.canned.name")}</label>
          <input id="canned-title" name="title" required maxLength={200} value={values.title ?? ""} />
        </div>
        <div class="field">
          <label for="canned-department">{t("tickets.staff.department")}</label>
          <select id="canned-department" name="department">
            <option value="">{t("tickets.staff.allDepartments")}</option>
            {departments.map((d) => (
              <option value={String(d.id)} selected={values.department === String(d.id)}>
                {locale === "fa" ? d.nameFa : d.nameEn}
              </option>
            ))}
          </select>
        </div>
        <BodyField
          id="canned-fa"
          name="body_fa"
          lang="fa"
          label={t("tickets.staff.canned.bodyFa")}
          values={values}
        />
        <BodyField
          id="canned-en"
          name="body_en"
          lang="en"
          label={t("tickets.staff.canned.bodyEn")}
          values={values}
          hint={t("tickets.staff.canned.variables")}
        />
        <button type="submit" class="button">{t("tickets.staff.canned.save")}</button>
      </form>
    </div>
  );
}
