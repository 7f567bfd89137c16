// routes/admin/withdrawals/export.ts — GET /admin/withdrawals/export.csv (withdrawals.manage: the filtered
// queue as CSV, streamed page by page; machine-oriented: ISO times and rials)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { validate } from "../../../lib/http/validate.ts";
import { asUser } from "../../../lib/db/client.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { pagedCsvResponse } from "../../../lib/http/csv.ts";
import { listWithdrawalQueue } from "../../../lib/wallet/withdrawal_queue.ts";
import type { Withdrawal } from "../../../lib/wallet/withdrawals.ts";
import { filterQuery, queueFilter } from "./_filters.ts";

type Cell = string | bigint | null;

export const adminWithdrawalsExport = new Hono<AppEnv>().get(
  "/",
  requirePermission("withdrawals.manage"),
  validate("query", filterQuery),
  (c) => {
    const filter = queueFilter(c.req.valid("query"));
    const claims = c.var.user();
    return pagedCsvResponse({
      filename: `withdrawals-${new Date().toISOString().slice(0, 10)}.csv`,
      header: [
        "id",
        "created_at",
        "user_id",
        "email",
        "amount_rial",
        "iban",
        "status",
        "first_approved_by",
        "bank_reference",
        "review_note",
        "reviewed_at",
      ],
      page: async (cursor) => {
        const { page, emails } = await asUser(
          claims,
          (tx) => listWithdrawalQueue(tx, filter, { cursor, limit: 100 }),
        );
        const row = (w: Withdrawal): Cell[] => [
          w.id,
          w.createdAt.toISOString(),
          w.userId,
          w.userId ? emails.get(w.userId) ?? null : null,
          w.amount,
          w.iban,
          w.status,
          w.firstApprovedBy ? emails.get(w.firstApprovedBy) ?? w.firstApprovedBy : null,
          w.bankReference,
          w.reviewNote,
          w.reviewedAt?.toISOString() ?? null,
        ];
        return { rows: page.withdrawals.map(row), next: page.nextCursor };
      },
    });
  },
);
