/**
 * The callback's budget. A payer's signed callback URL can be replayed at will; while the payment is pending
 * each visit would cost a gateway verify and a payment_events row, so visits are counted per payment in
 * Postgres (private.hit_rate_limit, inside payments.admit_callback: the limit holds across stateless
 * instances). Once the payment is final the callback does nothing but redirect, so there is nothing left to
 * limit.
 */
import { sql } from "kysely";
import { asServiceAtOnce, type Database } from "../db/client.ts";
import type { LimitRule } from "../rate_limit/enforce.ts";
import { type Payment, type PaymentRow, toPayment } from "./store.ts";

/** At most this many callbacks per payment reach the gateway per window; reconciliation covers the rest. */
export const CALLBACK_LIMIT: LimitRule = { max: 5, windowSeconds: 600 };

export interface Admission {
  /** not_found and authority_mismatch are refused; final and limited only redirect; admitted is verified. */
  verdict: "not_found" | "authority_mismatch" | "final" | "limited" | "admitted";
  hits: number | null;
}

/**
 * The callback's first step, one transaction in one round trip and one statement: payments.admit_callback,
 * which checks the callback's `Authority` against the payment's and, for a pending payment, counts the visit
 * against CALLBACK_LIMIT and stores it as a callback event when it is within the budget, with the payment's
 * row beside its answer (admit_callback writes only payment_events and the rate limit, never the payment).
 */
export async function admitCallback(
  database: Database,
  paymentId: string,
  callback: { authority: string | null; status: string },
): Promise<{ payment: Payment | undefined; admission: Admission }> {
  const [rows] = await asServiceAtOnce([
    sql`select p.*, a.verdict, a.hits from payments.admit_callback(${paymentId}, ${callback.authority},
      ${callback.status}, ${CALLBACK_LIMIT.max}, ${CALLBACK_LIMIT.windowSeconds}) a
      left join public.payments p on p.id = ${paymentId}`.compile(database),
  ], database);
  const { verdict, hits, ...row } = rows[0] as Record<string, unknown> & Admission;
  return { payment: row.id == null ? undefined : toPayment(row as PaymentRow), admission: { verdict, hits } };
}
