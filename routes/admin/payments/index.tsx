// routes/admin/payments/index.tsx — GET /admin/payments (payments.view: filters, keyset pages, CSV link)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { listForStaff } from "../../../lib/payments/queries.ts";
import { StaffPaymentsPage } from "../../../components/payments/StaffPaymentsPage.tsx";
import { filterParams, filterQuery, staffFilter } from "./_filters.ts";
import { readDayFilters } from "../../../lib/i18n/day_range.ts";

export const adminPayments = new Hono<AppEnv>().get(
  "/",
  requirePermission("payments.view"),
  validate("query", filterQuery),
  async (c) => {
    const typed = c.req.valid("query");
    const { filters: query, days, status } = readDayFilters(typed);
    const page = await c.var.asUser((tx) => listForStaff(tx, staffFilter(query), { cursor: query.after }));
    const filters = filterParams(query);
    return renderPage(
      c,
      <StaffPaymentsPage
        t={c.var.t}
        locale={c.var.locale}
        {...{ filters, days, payments: page.items, after: query.after, next: page.next }}
      />,
      { title: c.var.t("admin.payments.title"), status },
    );
  },
);
