/**
 * Verifying a payment with Zarinpal and settling it: used by the callback (payments-verify), by reconciliation
 * and by staff's re-verify. The amount always comes from our database, never from the request.
 */
import { asService } from "../db/client.ts";
import type { PaymentsContext } from "./context.ts";
import { paymentErrors } from "./errors.ts";
import { closePayment, findPayment, flagForReview } from "./store.ts";
import { ZarinpalUnavailable } from "./zarinpal.ts";

/** Codes that say "not now" (terminal or rate trouble at Zarinpal): the payment stays pending. */
const TRANSIENT = new Set([-10, -11, -12, -52]);

export interface ConfirmOptions {
  /** "callback": the buyer is back, so "not paid" (-51) is final. "reconcile": final only once expired. */
  mode: "callback" | "reconcile";
  /** The callback's `Status` (OK or NOK); it never decides anything, it only words a failure. */
  callbackStatus?: string;
  /** The clock for authority expiry (default: now). */
  now?: Date;
}

export type ConfirmOutcome = "settled" | "already_final" | "pending" | "failed" | "expired" | "flagged";

/** Verifies a pending payment with the gateway and settles, fails, expires or flags it. */
export async function confirmPayment(
  ctx: PaymentsContext,
  paymentId: string,
  options: ConfirmOptions,
): Promise<ConfirmOutcome> {
  const payment = await asService((tx) => findPayment(tx, paymentId), ctx.db);
  if (!payment) throw paymentErrors.refuse("payment_not_found");
  if (payment.status !== "pending") return "already_final";
  if (payment.needsReview && options.mode === "reconcile") return "flagged";
  const expired = payment.expiresAt.getTime() <= (options.now ?? new Date()).getTime();
  const close = (status: "failed" | "expired", reason: Parameters<typeof closePayment>[3]) =>
    asService((tx) => closePayment(tx, payment.id, status, reason), ctx.db);

  if (!payment.authority) {
    // The gateway never gave us an authority (or we crashed before storing it): nobody can pay it.
    if (!expired) return "pending";
    await close("expired", { reason: "expired" });
    return "expired";
  }

  let answer;
  try {
    answer = await ctx.gateway(payment.id).verify({ amount: payment.amount, authority: payment.authority });
  } catch (error) {
    if (error instanceof ZarinpalUnavailable) return "pending";
    throw error;
  }

  if (answer.ok) {
    const settled = await ctx.settle(payment.id, {
      amount: payment.amount,
      refId: answer.refId,
      cardPan: answer.cardPan,
      cardHash: answer.cardHash,
      fee: answer.fee,
      feeType: answer.feeType,
    });
    return settled.outcome === "flagged" ? "flagged" : "settled";
  }
  if (answer.code === -50) {
    await asService(
      (tx) =>
        flagForReview(tx, payment.id, `amount mismatch at verify (-50): we requested ${payment.amount}`),
      ctx.db,
    );
    return "flagged";
  }
  if (TRANSIENT.has(answer.code)) return "pending";
  if (answer.code === -51 && options.mode === "reconcile") {
    // Not paid (yet): the buyer may still be on the pay page until the authority expires.
    if (!expired) return "pending";
    await close("expired", { reason: "expired", code: answer.code, message: answer.message });
    return "expired";
  }
  const cancelled = answer.code === -51 && options.callbackStatus === "NOK";
  await close("failed", {
    reason: cancelled ? "cancelled" : "gateway_refused",
    code: answer.code,
    message: answer.message,
  });
  return "failed";
}
