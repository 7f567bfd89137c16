// routes/admin/payments/index.tsx — GET /admin/payments (payments.view: filters, keyset pages, CSV link)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { asUser } from "../../../lib/db/client.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { formatDate, formatNumber, formatToman } from "../../../lib/i18n/format.ts";
import { listForStaff } from "../../../lib/payments/queries.ts";
import { PAYMENT_STATUSES } from "../../../lib/payments/store.ts";
import { CheckboxField, SelectField, TextField } from "../../../components/forms/Field.tsx";
import { DayField } from "../../../components/forms/DayField.tsx";
import { StatusBadge } from "../../../components/payments/parts.tsx";
import { filterParams, filterQuery, staffFilter } from "./_filters.ts";

export const adminPayments = new Hono<AppEnv>().get(
  "/",
  requirePermission("payments.view"),
  validate("query", filterQuery),
  async (c) => {
    const query = c.req.valid("query");
    const page = await asUser(
      c.var.user(),
      (tx) => listForStaff(tx, staffFilter(query), { cursor: query.after }),
    );
    const t = c.var.t;
    const locale = c.var.locale;
    const params = filterParams(query);
    const link = (cursor?: string) =>
      `/admin/payments?${new URLSearchParams({ ...params, ...(cursor ? { after: cursor } : {}) })}`;
    return renderPage(
      c,
      <>
        <p class="breadcrumbs">
          <a href="/admin">{t("admin.title")}</a>
        </p>
        <div class="page-head">
          <h1>{t("admin.payments.title")}</h1>
          <a
            class="button button-ghost"
            href={`/admin/payments/export.csv?${new URLSearchParams(params)}`}
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
            value={query.q}
            dir="ltr"
          />
          <SelectField
            name="status"
            label={t("payments.field.status")}
            value={query.status ?? ""}
            options={[
              { value: "", label: t("admin.payments.anyStatus") },
              ...PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`payments.status.${s}`) })),
            ]}
          />
          <DayField name="from" label={t("admin.audit.from")} value={query.from} locale={locale} />
          <DayField name="to" label={t("admin.audit.to")} value={query.to} locale={locale} />
          <CheckboxField
            name="review"
            label={t("admin.payments.reviewOnly")}
            checked={query.review === "on"}
          />
          <div class="form-actions">
            <button type="submit">{t("admin.audit.filter")}</button>
            <a href="/admin/payments">{t("admin.audit.clear")}</a>
          </div>
        </form>
        {page.items.length === 0
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
                  {page.items.map((p) => (
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
                      <td class="num">
                        {p.fee === null || !p.verifiedAt ? "—" : formatToman(p.fee, locale)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        <nav class="pagination" aria-label={t("admin.pagination")}>
          {query.after ? <a href={link()}>{t("admin.firstPage")}</a> : <span></span>}
          {page.next && <a href={link(page.next)} rel="next">{t("admin.nextPage")}</a>}
        </nav>
      </>,
      { title: t("admin.payments.title") },
    );
  },
);
