// routes/admin/payments/export.ts — GET /admin/payments/export.csv (payments.view: the filtered list as CSV,
// streamed page by page so any number of rows fits)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { validate } from "../../../lib/http/errors.tsx";
import { asUser } from "../../../lib/db/client.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { listForStaff, type StaffPayment } from "../../../lib/payments/queries.ts";
import { csvRow } from "../../../lib/payments/csv.ts";
import { filterQuery, staffFilter } from "./_filters.ts";

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
  "/admin/payments/export.csv",
  requirePermission("payments.view"),
  validate("query", filterQuery),
  (c) => {
    const filter = staffFilter(c.req.valid("query"));
    const claims = c.var.claims!;
    const encoder = new TextEncoder();
    let cursor: string | undefined;
    let started = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode("\ufeff" + csvRow(COLUMNS.map(([name]) => name))));
        }
        const page = await asUser(claims, (tx) => listForStaff(tx, filter, { cursor, pageSize: 500 }));
        controller.enqueue(
          encoder.encode(page.items.map((p) => csvRow(COLUMNS.map(([, get]) => get(p)))).join("")),
        );
        cursor = page.next;
        if (!cursor) controller.close();
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="payments-${day}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
);
