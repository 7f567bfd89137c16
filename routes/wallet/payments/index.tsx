// routes/payments/history.tsx — GET /wallet/payments (every top-up attempt of the signed-in user, newest first)
import { z } from "zod";

import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formatDate, formatToman } from "../../../lib/i18n/format.ts";
import { listMyPayments } from "../../../lib/payments/queries.ts";
import { referenceText, StatusBadge } from "../../../components/payments/parts.tsx";
import { userRoutes } from "../../../lib/auth/guards.ts";

const query = z.object({ after: z.string().max(200).optional() });

export const paymentHistory = userRoutes().get(
  "/",
  validate("query", query),
  async (c) => {
    const { after } = c.req.valid("query");
    const page = await c.var.asUser((tx) => listMyPayments(tx, { cursor: after }));
    const t = c.var.t;
    const locale = c.var.locale;
    return renderPage(
      c,
      <>
        <div class="page-head">
          <h1>{t("payments.history.title")}</h1>
          <p class="actions">
            <a class="button" href="/wallet/topup">{t("payments.topup.title")}</a>
            <a class="button button-ghost" href="/wallet">{t("payments.action.wallet")}</a>
          </p>
        </div>
        {page.items.length === 0
          ? <p class="alert alert-info">{t("payments.history.empty")}</p>
          : (
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">{t("payments.history.title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("payments.field.date")}</th>
                    <th scope="col" class="num">{t("payments.field.amount")}</th>
                    <th scope="col">{t("payments.field.status")}</th>
                    <th scope="col">{t("payments.field.reference")}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((p) => (
                    <tr data-payment-id={p.id}>
                      <td>
                        <a href={`/wallet/payments/${p.id}`}>
                          {formatDate(p.createdAt, locale, { time: true })}
                        </a>
                      </td>
                      <td class="num">{formatToman(p.amount, locale)}</td>
                      <td>
                        <StatusBadge t={t} payment={p} />
                      </td>
                      <td class="ltr-inline">{p.refId ? referenceText(p.refId, locale) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        <nav class="pagination" aria-label={t("admin.pagination")}>
          {after ? <a href="/wallet/payments">{t("admin.firstPage")}</a> : <span></span>}
          {page.next && <a href={`/wallet/payments?after=${page.next}`} rel="next">{t("admin.nextPage")}</a>}
        </nav>
      </>,
      { title: t("payments.history.title") },
    );
  },
);
