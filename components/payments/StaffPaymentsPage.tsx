/** The staff payment list: filters, a CSV export of the filtered list, the payments, keyset pagination. */
import { formatDate, formatId, formatToman } from "../../lib/i18n/format.ts";
import type { DayRange } from "../../lib/i18n/day_range.ts";
import type { StaffPayment } from "../../lib/payments/queries.ts";
import { PAYMENT_STATUSES } from "../../lib/payments/store.ts";
import { CheckboxField, SelectField, TextField } from "../forms/Field.tsx";
import { FilterForm } from "../admin/FilterForm.tsx";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { StatusBadge } from "./parts.tsx";

export interface StaffPaymentsPageProps extends PageProps {
  /** The filters as given (query parameters, empty ones left out). */
  filters: Record<string, string>;
  /** Days typed that were no real day, and their errors. */
  days?: Pick<DayRange, "typed" | "errors">;
  payments: StaffPayment[];
  /** The cursor of the page shown (none on the first) and of the next one. */
  after?: string;
  next?: string;
}

export function StaffPaymentsPage(
  { t, locale, filters, days, payments, after, next }: StaffPaymentsPageProps,
) {
  const columns: Column<StaffPayment>[] = [
    {
      header: "#",
      cell: (p) => <a href={`/admin/payments/${p.id}`}>{formatId(p.id, locale)}</a>,
    },
    {
      header: t("payments.field.date"),
      class: "nowrap",
      cell: (p) => formatDate(p.createdAt, locale, { time: true }),
    },
    { header: t("admin.payments.payer"), class: "ltr-inline", cell: (p) => p.email ?? "—" },
    { header: t("payments.field.amount"), numeric: true, cell: (p) => formatToman(p.amount, locale) },
    {
      header: t("payments.field.status"),
      cell: (p) => (
        <>
          <StatusBadge t={t} payment={p} />
          {p.needsReview && p.status !== "pending" && (
            <span class="badge badge-warning">{t("payments.status.review")}</span>
          )}
        </>
      ),
    },
    { header: t("payments.field.reference"), class: "ltr-inline", cell: (p) => p.refId ?? "—" },
    {
      header: t("payments.field.fee"),
      numeric: true,
      cell: (p) => p.fee === null || !p.verifiedAt ? "—" : formatToman(p.fee, locale),
    },
  ];
  return (
    <>
      <Breadcrumbs t={t} />
      <div class="page-head">
        <h1>{t("admin.payments.title")}</h1>
        <a
          class="button button-ghost"
          href={`/admin/payments/export.csv?${new URLSearchParams(filters)}`}
          download
        >
          {t("admin.payments.export")}
        </a>
      </div>
      <FilterForm
        t={t}
        locale={locale}
        action="/admin/payments"
        label={t("admin.payments.filters")}
        from={filters.from}
        to={filters.to}
        days={days}
        after={
          <CheckboxField
            name="review"
            label={t("admin.payments.reviewOnly")}
            checked={filters.review === "on"}
          />
        }
      >
        <TextField
          name="q"
          label={t("admin.payments.search")}
          hint={t("admin.payments.searchHint")}
          value={filters.q}
          dir="ltr"
        />
        <SelectField
          name="status"
          label={t("payments.field.status")}
          value={filters.status ?? ""}
          options={[
            { value: "", label: t("admin.payments.anyStatus") },
            ...PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`payments.status.${s}`) })),
          ]}
        />
      </FilterForm>
      <DataTable
        columns={columns}
        rows={payments}
        caption={t("admin.payments.title")}
        empty={t("admin.payments.empty")}
        rowAttributes={(p) => ({ "data-payment-id": p.id })}
        pagination={
          <Pagination
            t={t}
            path="/admin/payments"
            params={filters}
            cursorParam="after"
            cursor={after}
            next={next}
          />
        }
      />
    </>
  );
}
