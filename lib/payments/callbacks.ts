/**
 * The callback's budget. A payer's signed callback URL can be replayed at will; while the payment is pending
 * each visit would cost a gateway verify and a payment_events row, so visits are counted per payment in
 * Postgres (private.hit_rate_limit: the limit holds across stateless instances). Once the payment is final
 * the callback does nothing but redirect, so there is nothing left to limit.
 */
import { asService, type Database } from "../db/client.ts";
import { hitRateLimit, type LimitResult, type LimitRule } from "../rate_limit/enforce.ts";

/** At most this many callbacks per payment reach the gateway per window; reconciliation covers the rest. */
export const CALLBACK_LIMIT: LimitRule = { max: 5, windowSeconds: 600 };

/** Counts one callback visit of a pending payment; `allowed` is false once it is over CALLBACK_LIMIT. */
export function admitCallback(database: Database, paymentId: string): Promise<LimitResult> {
  return asService((tx) => hitRateLimit(tx, `payments:callback:${paymentId}`, CALLBACK_LIMIT), database);
}
