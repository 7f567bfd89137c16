/**
 * Refunds through Zarinpal's `reverse` (within 30 minutes of payment): the wallet is debited first (refused when
 * it cannot cover the amount), then the gateway reverses; a refused reverse is compensated by a re-credit.
 */
import { sql } from "kysely";
import { asService, asUser, type Claims, type Tx } from "../db/client.ts";
import type { PaymentsContext } from "./context.ts";
import { paymentErrors } from "./errors.ts";
import { contextJson, type RequestContext } from "../audit/record.ts";
import { findPayment } from "./store.ts";
import { ZarinpalUnavailable } from "./zarinpal.ts";

export type RefundOutcome =
  | { status: "completed"; refundId: string }
  | { status: "failed"; refundId: string; code: number; message: string }
  /** The gateway did not answer: reconciliation asks it later and completes or compensates. */
  | { status: "pending"; refundId: string };

export async function beginRefund(
  tx: Tx,
  input: { paymentId: string; reason: string; windowSeconds: number; context?: RequestContext },
) {
  const { rows } = await sql<{ id: string }>`
    select payments.begin_refund(${input.paymentId}, ${input.reason}, ${input.windowSeconds},
      ${contextJson(input.context ?? {})}::text::jsonb)::text as id`.execute(tx);
  return rows[0].id;
}

export async function completeRefund(tx: Tx, refundId: string): Promise<void> {
  await sql`select payments.complete_refund(${refundId})`.execute(tx);
}

export async function failRefund(tx: Tx, refundId: string, code: number, message: string): Promise<void> {
  await sql`select payments.fail_refund(${refundId}, ${code}, ${message})`.execute(tx);
}

/** Asks the gateway to reverse and books the answer; shared by staff refunds and reconciliation. */
export async function reverseAtGateway(
  ctx: PaymentsContext,
  refundId: string,
  paymentId: string,
  authority: string,
): Promise<RefundOutcome> {
  let answer;
  try {
    answer = await ctx.gateway(paymentId).reverse(authority);
  } catch (error) {
    if (error instanceof ZarinpalUnavailable) return { status: "pending", refundId };
    throw error;
  }
  if (answer.ok) {
    await asService((tx) => completeRefund(tx, refundId), ctx.db);
    return { status: "completed", refundId };
  }
  await asService((tx) => failRefund(tx, refundId, answer.code, answer.message), ctx.db);
  return { status: "failed", refundId, code: answer.code, message: answer.message };
}

/** Staff (`payments.refund`, checked in SQL) refund a verified payment in full; audited as payments.refund. */
export async function refundPayment(
  ctx: PaymentsContext,
  claims: Claims,
  input: { paymentId: string; reason: string; context?: RequestContext },
): Promise<RefundOutcome> {
  const refundId = await paymentErrors.mapping(() =>
    asUser(
      claims,
      (tx) => beginRefund(tx, { ...input, windowSeconds: ctx.settings.reverseWindowSeconds }),
      ctx.db,
    )
  );
  const payment = await asService((tx) => findPayment(tx, input.paymentId), ctx.db);
  return await reverseAtGateway(ctx, refundId, input.paymentId, payment!.authority!);
}
