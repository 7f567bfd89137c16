/**
 * Verifying a payment with Zarinpal and settling it: used by the callback (payments-verify), by reconciliation
 * and by staff's re-verify. The amount always comes from our database, never from the request.
 */
import { asService } from "../db/client.ts";
import type { PaymentsContext } from "./context.ts";
import { paymentErrors } from "./errors.ts";
import { closeStatement, findPayment, flagStatement, type Payment } from "./store.ts";
import { type ZarinpalExchange, ZarinpalUnavailable } from "./zarinpal.ts";

/** Codes that say "not now" (terminal or rate trouble at Zarinpal): the payment stays pending. */
const TRANSIENT = new Set([-10, -11, -12, -52]);
/** Inquiry statuses after which an unverified session can never be paid (IN_BANK and PAID still can). */
const DEFINITIVELY_UNPAID = new Set(["FAILED", "REVERSED"]);

export interface ConfirmOptions {
  /**
   * How "not paid" (-51) is settled before the authority expires: "callback" asks the gateway (inquiry) and
   * fails the payment only when it answers FAILED or REVERSED; "reconcile" leaves it pending until expiry.
   */
  mode: "callback" | "reconcile";
  /** The callback's `Status` (OK or NOK): unsigned, so it never decides anything; it only words a failure. */
  callbackStatus?: string;
  /** The clock for authority expiry (default: now). */
  now?: Date;
  /** The payment as the caller just read it (the callback reads it with its admission), to save a re-read. */
  payment?: Payment;
}

export type ConfirmOutcome =
  | "settled"
  | "already_final"
  | "pending"
  | "failed"
  | "cancelled"
  | "expired"
  | "flagged";

/** Verifies a pending payment with the gateway and settles, fails, expires or flags it. */
export async function confirmPayment(
  ctx: PaymentsContext,
  paymentId: string,
  options: ConfirmOptions,
): Promise<ConfirmOutcome> {
  const payment = options.payment ?? await asService((tx) => findPayment(tx, paymentId), ctx.db);
  if (!payment || payment.id !== paymentId) throw paymentErrors.refuse("payment_not_found");
  if (payment.status !== "pending") return "already_final";
  if (payment.needsReview && options.mode === "reconcile") return "flagged";
  const expired = payment.expiresAt.getTime() <= (options.now ?? new Date()).getTime();
  // The gateway's answers are stored in the transaction of what they lead to (settle, close, flag).
  const answered: ZarinpalExchange[] = [];
  const close = (
    status: Parameters<typeof closeStatement>[1],
    reason: Parameters<typeof closeStatement>[2],
  ) => ctx.inStep(payment.id, answered, closeStatement(payment.id, status, reason));

  if (!payment.authority) {
    // The gateway never gave us an authority (or we crashed before storing it): nobody can pay it.
    if (!expired) return "pending";
    await close("expired", { reason: "expired" });
    return "expired";
  }

  let answer;
  try {
    answer = await ctx.gateway(payment.id, answered).verify({
      amount: payment.amount,
      authority: payment.authority,
    });
  } catch (error) {
    await ctx.inStep(payment.id, answered);
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
    }, answered);
    return settled.outcome === "flagged" ? "flagged" : "settled";
  }
  if (answer.code === -50) {
    await ctx.inStep(
      payment.id,
      answered,
      flagStatement(payment.id, `amount mismatch at verify (-50): we requested ${payment.amount}`),
    );
    return "flagged";
  }
  if (TRANSIENT.has(answer.code)) {
    await ctx.inStep(payment.id, answered);
    return "pending";
  }
  if (answer.code === -51) {
    // Not paid (yet). Neither the callback's Status nor the callback itself proves anything: the payer holds the
    // signed URL and can open it, with OK or NOK, before paying. While the authority is valid the buyer may still
    // pay, so only expiry or the gateway's own word (inquiry: FAILED or REVERSED) closes the payment.
    const closing = expired
      ? "expired"
      : options.mode === "callback"
      ? await gatewayGaveUp(ctx, payment.id, payment.authority, answered)
      : null;
    if (!closing) {
      await ctx.inStep(payment.id, answered);
      return "pending";
    }
    // Over unpaid: the payer cancelled when the callback said NOK (Zarinpal's Cancel button), else it failed.
    const status = closing === "failed" && options.callbackStatus === "NOK" ? "cancelled" : closing;
    const why = status === "failed" ? "gateway_refused" : status;
    await close(status, { reason: why, code: answer.code, message: answer.message });
    return status;
  }
  await close("failed", { reason: "gateway_refused", code: answer.code, message: answer.message });
  return "failed";
}

/** "failed" when the gateway itself says the session is over unpaid; null when it may still be paid or is silent. */
async function gatewayGaveUp(
  ctx: PaymentsContext,
  paymentId: string,
  authority: string,
  answered: ZarinpalExchange[],
): Promise<"failed" | null> {
  try {
    const inquiry = await ctx.gateway(paymentId, answered).inquiry(authority);
    return inquiry.ok && DEFINITIVELY_UNPAID.has(inquiry.status) ? "failed" : null;
  } catch (error) {
    if (error instanceof ZarinpalUnavailable) return null;
    await ctx.inStep(paymentId, answered);
    throw error;
  }
}
