/**
 * Small parts of the ticket pages: the ticket number, the status badge and the option lists of the forms.
 */
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import type { Department, TicketPriority, TicketStatus } from "../../lib/tickets/store.ts";
import type { I18n, Translate } from "../ui/types.ts";
import { describedBy, FieldError, FieldHint } from "../forms/Field.tsx";

const STATUS_KEY: Record<TicketStatus, MessageKey> = {
  open: "tickets.status.open",
  pending: "tickets.status.pending",
  resolved: "tickets.status.resolved",
  closed: "tickets.status.closed",
  reopened: "tickets.status.reopened",
};
const PRIORITY_KEY: Record<TicketPriority, MessageKey> = {
  low: "tickets.priority.low",
  normal: "tickets.priority.normal",
  high: "tickets.priority.high",
  urgent: "tickets.priority.urgent",
};
const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";

/**
 * A ticket number as people read it: TK-۱۰۰۰۰۱ in Persian, TK-100001 in English. Search and merge take either
 * (both fold Persian digits).
 */
export function ticketNumberText(number: string, locale: Locale): string {
  return locale === "fa" ? number.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]) : number;
}

/** A ticket number, isolated left to right (TK- first on a Persian page too). */
export function TicketNumber({ number, locale, class: className }: {
  number: string;
  locale: Locale;
  class?: string;
}) {
  return <bdi dir="ltr" class={className}>{ticketNumberText(number, locale)}</bdi>;
}

/** The CSAT scores 1–5 and their labels. */
export const SCORE_KEYS: [number, MessageKey][] = [
  [1, "tickets.rate.1"],
  [2, "tickets.rate.2"],
  [3, "tickets.rate.3"],
  [4, "tickets.rate.4"],
  [5, "tickets.rate.5"],
];

export const statusKey = (status: TicketStatus): MessageKey => STATUS_KEY[status];
export const priorityKey = (priority: TicketPriority): MessageKey => PRIORITY_KEY[priority];

const BADGE: Record<TicketStatus, string> = {
  open: "badge",
  reopened: "badge",
  pending: "badge badge-warning",
  resolved: "badge badge-muted",
  closed: "badge badge-muted",
};

export function StatusBadge({ t, status }: { t: Translate; status: TicketStatus }) {
  return <span class={BADGE[status]} data-status={status}>{t(statusKey(status))}</span>;
}

export function departmentName(departments: Department[], id: number, locale: I18n["locale"]): string {
  const d = departments.find((d) => d.id === id);
  return d ? (locale === "fa" ? d.nameFa : d.nameEn) : "—";
}

/** A labelled multi-line text field (message bodies), with hint and error like components/forms/Field.tsx. */
export function BodyField(
  props: { name: string; label: string; value?: string; error?: string; required?: boolean; rows?: number },
) {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 6}
        maxLength={20000}
        required={props.required}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(id, undefined, props.error)}
      >
        {props.value ?? ""}
      </textarea>
      <FieldError id={id} text={props.error} />
    </div>
  );
}

/** The file input of a message: several files, the bucket's types; the limits said in the hint. */
export function FilesField({ t, error }: { t: Translate; error?: string }) {
  const id = "field-files";
  const hint = t("tickets.field.filesHint");
  return (
    <div class="field">
      <label for={id}>{t("tickets.field.files")}</label>
      <input
        id={id}
        name="files"
        type="file"
        multiple
        accept="image/png,image/jpeg,image/webp,application/pdf,text/plain,.png,.jpg,.jpeg,.webp,.pdf,.txt"
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <FieldHint id={id} text={hint} />
      <FieldError id={id} text={error} />
    </div>
  );
}
