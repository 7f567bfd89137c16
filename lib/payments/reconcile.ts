/**
 * Reconciliation (pg_cron → payments-reconcile, every minute): picks up paid-but-unverified payments through
 * `unVerified`, re-verifies stale pending ones (the buyer closed the tab, the callback was lost, we crashed),
 * expires abandoned ones, and resolves refunds whose reverse got no answer.
 */
import { sql } from "kysely";
import { asService } from "../db/client.ts";
import type { PaymentsContext } from "./context.ts";
import { type ConfirmOutcome, confirmPayment } from "./confirm.ts";
import { findByAuthority, flagForReview } from "./store.ts";
import { completeRefund, reverseAtGateway } from "./refund.ts";
import { ZarinpalUnavailable } from "./zarinpal.ts";

export interface ReconcileOptions {
  /** Pending payments younger than this are left to their callback; default 120 s. */
  minAgeSeconds?: number;
  /** At most this many pending payments per run; default 200. */
  limit?: number;
  now?: Date;
}

export type ReconcileReport = Record<ConfirmOutcome | "unverified" | "refunds_resolved" | "errors", number>;

export async function reconcilePayments(
  ctx: PaymentsContext,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    unverified: 0,
    settled: 0,
    already_final: 0,
    pending: 0,
    failed: 0,
    cancelled: 0,
    expired: 0,
    flagged: 0,
    refunds_resolved: 0,
    errors: 0,
  };
  const confirm = async (paymentId: string) => {
    try {
      report[await confirmPayment(ctx, paymentId, { mode: "reconcile", now: options.now })]++;
    } catch (error) {
      report.errors++;
      console.error(JSON.stringify({ level: "error", reconcile: paymentId, error: String(error) }));
    }
  };

  for (const paymentId of await unverifiedPayments(ctx, report)) await confirm(paymentId);
  const { rows } = await asService((tx) =>
    sql<{ id: string }>`
      select id::text from public.payments
      where merchant_key = ${ctx.settings.merchantKey} and status = 'pending' and not needs_review
        and created_at < ${options.now ?? new Date()}::timestamptz - make_interval(secs => ${
      options.minAgeSeconds ?? 120
    })
      order by created_at limit ${options.limit ?? 200}`.execute(tx), ctx.db);
  for (const { id } of rows) await confirm(id);
  report.refunds_resolved = await resolveStaleRefunds(ctx, options);
  return report;
}

/** Ours among Zarinpal's paid-but-unverified list; money captured on a payment we closed goes to finance. */
async function unverifiedPayments(ctx: PaymentsContext, report: ReconcileReport): Promise<string[]> {
  let answer;
  try {
    answer = await ctx.gateway(null).unverified();
  } catch (error) {
    if (error instanceof ZarinpalUnavailable) return [];
    throw error;
  }
  if (!answer.ok) return [];
  const ours: string[] = [];
  for (const listed of answer.authorities) {
    const payment = await asService(
      (tx) => findByAuthority(tx, ctx.settings.merchantKey, listed.authority),
      ctx.db,
    );
    if (!payment) continue;
    report.unverified++;
    if (payment.status === "pending") ours.push(payment.id);
    else if (payment.status === "failed" || payment.status === "cancelled" || payment.status === "expired") {
      await asService(
        (tx) => flagForReview(tx, payment.id, `paid at the gateway after it was ${payment.status}`),
        ctx.db,
      );
    }
  }
  return ours;
}

/** Refunds left pending (the reverse got no answer): ask the gateway, then complete, or reverse again. */
async function resolveStaleRefunds(ctx: PaymentsContext, options: ReconcileOptions): Promise<number> {
  const { rows } = await asService((tx) =>
    sql<{ id: string; payment_id: string; authority: string }>`
      select r.id::text, r.payment_id::text, p.authority from public.payment_refunds r
      join public.payments p on p.id = r.payment_id
      where r.status = 'pending' and p.merchant_key = ${ctx.settings.merchantKey}
        and r.created_at < ${options.now ?? new Date()}::timestamptz - make_interval(secs => ${
      options.minAgeSeconds ?? 120
    })
      order by r.created_at limit 50`.execute(tx), ctx.db);
  let resolved = 0;
  for (const refund of rows) {
    try {
      const inquiry = await ctx.gateway(refund.payment_id).inquiry(refund.authority);
      if (inquiry.ok && inquiry.status === "REVERSED") {
        await asService((tx) => completeRefund(tx, refund.id), ctx.db);
        resolved++;
      } else if (inquiry.ok) {
        const outcome = await reverseAtGateway(ctx, refund.id, refund.payment_id, refund.authority);
        if (outcome.status !== "pending") resolved++;
      }
    } catch (error) {
      if (!(error instanceof ZarinpalUnavailable)) throw error;
    }
  }
  return resolved;
}
