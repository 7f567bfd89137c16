/** The staff payment list: filters, a CSV export of the filtered list, the payments, keyset pagination. */
import { formatDate, formatNumber, formatToman } from "../../lib/i18n/format.ts";
import type { StaffPayment } from "../../lib/payments/queries.ts";
import { PAYMENT_STATUSES } from "../../lib/payments/store.ts";
import { CheckboxField, SelectField, TextField } from "../forms/Field.tsx";
import { DayField } from "../forms/DayField.tsx";
import { Breadcrumbs, PageLinks, type PageProps } from "../admin/shell.tsx";
import { StatusBadge } from "./parts.tsx";

export interface StaffPaymentsPageProps extends PageProps {
  /** The filters as given (query parameters, empty ones left out). */
  filters: Record<string, string>;
  payments: StaffPayment[];
  /** The list's URL with the filters kept and the given cursor. */
  link: (cursor?: string) => string;
  onFirstPage: boolean;
  next?: string | null;
}

export function StaffPaymentsPage(
  { t, locale, filters, payments, link, onFirstPage, next }: StaffPaymentsPageProps,
) {
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
      <form
        method="get"
        action="/admin/payments"
        class="card filters"
        aria-label={t("admin.payments.filters")}
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
        <DayField name="from" label={t("admin.audit.from")} value={filters.from} locale={locale} />
        <DayField name="to" label={t("admin.audit.to")} value={filters.to} locale={locale} />
        <CheckboxField
          name="review"
          label={t("admin.payments.reviewOnly")}
          checked={filters.review === "on"}
        />
        <div class="form-actions">
          <button type="submit">{t("admin.audit.filter")}</button>
          <a href="/admin/payments">{t("admin.audit.clear")}</a>
        </div>
      </form>
      {payments.length === 0
        ? <p class="alert alert-info">{t("admin.payments.empty")}</p>
        : (
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{t("admin.payments.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t("payments.field.date")}</th>
                  <th scope="col">{t("admin.payments.payer")}</th>
                  <th scope="col" class="num">{t("payments.field.amount")}</th>
                  <th scope="col">{t("payments.field.status")}</th>
                  <th scope="col">{t("payments.field.reference")}</th>
                  <th scope="col" class="num">{t("payments.field.fee")}</th>
                </tr>
              </thead>
              <tbody>
                {payments.map((p) => (
                  <tr data-payment-id={p.id}>
                    <td>
                      <a href={`/admin/payments/${p.id}`}>{formatNumber(BigInt(p.id), locale)}</a>
                    </td>
                    <td class="nowrap">{formatDate(p.createdAt, locale, { time: true })}</td>
                    <td class="ltr-inline">{p.email ?? "—"}</td>
                    <td class="num">{formatToman(p.amount, locale)}</td>
                    <td>
                      <StatusBadge t={t} payment={p} />
                      {p.needsReview && p.status !== "pending" && (
                        <span class="badge badge-warning">{t("payments.status.review")}</span>
                      )}
                    </td>
                    <td class="ltr-inline">{p.refId ?? "—"}</td>
                    <td class="num">{p.fee === null || !p.verifiedAt ? "—" : formatToman(p.fee, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <PageLinks t={t} first={onFirstPage ? undefined : link()} next={next ? link(next) : undefined} />
    </>
  );
}
