// routes/admin/payments/export.ts — GET /admin/payments/export.csv (payments.view: the filtered list as CSV,
// streamed page by page so any number of rows fits)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { validate } from "../../../lib/http/validate.ts";
import { asUser } from "../../../lib/db/client.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { listForStaff, type StaffPayment } from "../../../lib/payments/queries.ts";
import { pagedCsvResponse } from "../../../lib/http/csv.ts";
import { filterQuery, staffFilter } from "./_filters.ts";
import { strictDayRange } from "../../../lib/i18n/day_range.ts";

const COLUMNS: [string, (p: StaffPayment) => string | number | bigint | boolean | null][] = [
  ["id", (p) => p.id],
  ["created_at", (p) => p.createdAt.toISOString()],
  ["payer_email", (p) => p.email],
  ["amount_rial", (p) => p.amount],
  ["status", (p) => p.status],
  ["authority", (p) => p.authority],
  ["ref_id", (p) => p.refId],
  ["card_pan", (p) => p.cardPan],
  ["fee_rial", (p) => p.fee],
  ["fee_type", (p) => p.feeType],
  ["failure_reason", (p) => p.failureReason],
  ["failure_code", (p) => p.failureCode],
  ["needs_review", (p) => p.needsReview],
  ["review_reason", (p) => p.reviewReason],
  ["verified_at", (p) => p.verifiedAt?.toISOString() ?? null],
  ["refunded_at", (p) => p.refundedAt?.toISOString() ?? null],
];

export const adminPaymentsExport = new Hono<AppEnv>().get(
  "/",
  requirePermission("payments.view"),
  validate("query", filterQuery),
  (c) => {
    const query = c.req.valid("query");
    const filter = staffFilter({ ...query, ...strictDayRange(query) });
    const claims = c.var.user();
    return pagedCsvResponse({
      filename: `payments-${new Date().toISOString().slice(0, 10)}.csv`,
      header: COLUMNS.map(([name]) => name),
      page: async (cursor) => {
        const page = await asUser(claims, (tx) => listForStaff(tx, filter, { cursor, pageSize: 500 }));
        return { rows: page.items.map((p) => COLUMNS.map(([, get]) => get(p))), next: page.next };
      },
    });
  },
);
