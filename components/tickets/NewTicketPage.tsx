/** Opening a ticket: department, priority, subject, body, an optional payment or withdrawal of mine, files. */
import { formatDate, formatToman } from "../../lib/i18n/format.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { type Department, TICKET_PRIORITIES } from "../../lib/tickets/store.ts";
import { SelectField, TextField } from "../forms/Field.tsx";
import { Notice } from "../ui/Notice.tsx";
import type { I18n } from "../ui/types.ts";
import { BodyField, FilesField, priorityKey } from "./parts.tsx";

/** A payment or withdrawal the customer may link: value `payment:<id>` / `withdrawal:<id>`. */
export interface LinkChoice {
  value: string;
  kind: "payment" | "withdrawal";
  amount: bigint;
  createdAt: Date;
}

export interface NewTicketPageProps extends I18n {
  departments: Department[];
  links: LinkChoice[];
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: string;
}

export function NewTicketPage(
  { t, locale, departments, links, values = {}, errors = {}, problem }: NewTicketPageProps,
) {
  const err = (name: string) => errors[name] ? t(errors[name]!) : undefined;
  return (
    <>
      <div class="page-head">
        <h1>{t("tickets.new.title")}</h1>
        <p class="actions">
          <a class="button button-ghost" href="/tickets">{t("tickets.list.title")}</a>
        </p>
      </div>
      <Notice kind="error" text={problem} id="form-problem" />
      <form method="post" action="/tickets/new" enctype="multipart/form-data" class="stack ticket-form">
        <SelectField
          name="department"
          label={t("tickets.field.department")}
          value={values.department ?? "general"}
          error={err("department")}
          options={departments.map((d) => ({ value: d.code, label: locale === "fa" ? d.nameFa : d.nameEn }))}
        />
        <SelectField
          name="priority"
          label={t("tickets.field.priority")}
          value={values.priority ?? "normal"}
          error={err("priority")}
          options={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(priorityKey(p)) }))}
        />
        <TextField
          name="subject"
          label={t("tickets.field.subject")}
          value={values.subject}
          error={err("subject")}
          required
          maxLength={200}
        />
        <BodyField
          name="body"
          label={t("tickets.field.body")}
          value={values.body}
          error={err("body")}
          required
        />
        <SelectField
          name="link"
          label={t("tickets.field.link")}
          value={values.link ?? ""}
          error={err("link")}
          hint={t("tickets.field.linkHint")}
          options={[
            { value: "", label: t("tickets.field.noLink") },
            ...links.map((l) => ({
              value: l.value,
              label: t(l.kind === "payment" ? "tickets.link.payment" : "tickets.link.withdrawal", {
                amount: formatToman(l.amount, locale),
                date: formatDate(l.createdAt, locale),
              }),
            })),
          ]}
        />
        <FilesField t={t} error={err("files")} />
        <p class="actions">
          <button type="submit">{t("tickets.new.submit")}</button>
        </p>
      </form>
    </>
  );
}
