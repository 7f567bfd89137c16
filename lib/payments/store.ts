/** The payments SQL API (schema `payments`) and row mapping; every function takes the transaction first. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { enumValues } from "../db/enums.ts";
import type { DB } from "../db/types.ts";
import type { ZarinpalExchange } from "./zarinpal.ts";

/** A row of public.payments as the driver returns it (int8 as text). */
export type PaymentRow = Selectable<DB["payments"]>;
export type PaymentStatus = PaymentRow["status"];
/** public.payment_status, in the order the staff filter lists it. */
export const PAYMENT_STATUSES = enumValues<PaymentStatus>()([
  "pending",
  "verified",
  "failed",
  "cancelled",
  "expired",
  "refunded",
]);
/** The values payments.close writes to the text column failure_reason (a check constraint, not an enum). */
export type FailureReason = "cancelled" | "gateway_refused" | "gateway_unavailable" | "expired";

export interface Payment {
  id: PaymentRow["id"];
  userId: PaymentRow["user_id"];
  merchantKey: PaymentRow["merchant_key"];
  amount: bigint;
  description: PaymentRow["description"];
  status: PaymentStatus;
  authority: PaymentRow["authority"];
  expiresAt: PaymentRow["expires_at"];
  refId: PaymentRow["ref_id"];
  cardPan: PaymentRow["card_pan"];
  fee: bigint | null;
  feeType: PaymentRow["fee_type"];
  failureCode: PaymentRow["failure_code"];
  failureReason: FailureReason | null;
  failureMessage: PaymentRow["failure_message"];
  needsReview: PaymentRow["needs_review"];
  reviewReason: PaymentRow["review_reason"];
  ledgerTransactionId: PaymentRow["ledger_transaction_id"];
  createdAt: PaymentRow["created_at"];
  verifiedAt: PaymentRow["verified_at"];
  closedAt: PaymentRow["closed_at"];
  refundedAt: PaymentRow["refunded_at"];
}

export function toPayment(r: PaymentRow): Payment {
  return {
    id: String(r.id),
    userId: r.user_id,
    merchantKey: r.merchant_key,
    amount: BigInt(r.amount),
    description: r.description,
    status: r.status,
    authority: r.authority,
    expiresAt: r.expires_at,
    refId: r.ref_id === null ? null : String(r.ref_id),
    cardPan: r.card_pan,
    fee: r.fee === null ? null : BigInt(r.fee),
    feeType: r.fee_type,
    failureCode: r.failure_code,
    failureReason: r.failure_reason as FailureReason | null,
    failureMessage: r.failure_message,
    needsReview: r.needs_review,
    reviewReason: r.review_reason,
    ledgerTransactionId: r.ledger_transaction_id === null ? null : String(r.ledger_transaction_id),
    createdAt: r.created_at,
    verifiedAt: r.verified_at,
    closedAt: r.closed_at,
    refundedAt: r.refunded_at,
  };
}

/** One payment as the transaction's role may see it (RLS applies to users), or undefined. */
export async function findPayment(tx: Tx, id: string): Promise<Payment | undefined> {
  const row = await tx.selectFrom("payments").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toPayment(row);
}

/** The top-up whose ledger credit is `transactionId` (RLS: its payer, or staff with payments.view). */
export async function findPaymentByTransaction(tx: Tx, transactionId: string): Promise<Payment | undefined> {
  const row = await tx.selectFrom("payments").selectAll().where("ledger_transaction_id", "=", transactionId)
    .executeTakeFirst();
  return row && toPayment(row);
}

export async function findByAuthority(tx: Tx, merchantKey: string, authority: string) {
  const row = await tx.selectFrom("payments").selectAll()
    .where("authority", "=", authority).where("merchant_key", "=", merchantKey)
    .executeTakeFirst();
  return row && toPayment(row);
}

/** Opens a pending payment for the signed-in user (run as the user); returns its id. */
export async function createPending(
  tx: Tx,
  input: { amount: bigint; description: string; merchantKey: string; ttlSeconds: number },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    select payments.create_pending(${input.amount}, ${input.description}, ${input.merchantKey},
      ${input.ttlSeconds})::text as id`.execute(tx);
  return rows[0].id;
}

export async function attachAuthority(
  tx: Tx,
  id: string,
  answer: { authority: string; fee: bigint | null; feeType: string | null },
): Promise<void> {
  await sql`select payments.attach_authority(${id}, ${answer.authority}, ${answer.fee}, ${answer.feeType})`
    .execute(tx);
}

/** What the gateway said when it verified a payment. */
export interface Verified {
  amount: bigint;
  refId: number | null;
  cardPan: string | null;
  cardHash: string | null;
  fee: bigint | null;
  feeType: string | null;
}

export interface Settlement {
  outcome: "settled" | "already_settled" | "flagged";
  status: PaymentStatus;
  ledgerTransactionId: string | null;
}

/** Exactly-once settlement in SQL (state change + ledger credit in one transaction). */
export async function settle(tx: Tx, id: string, v: Verified): Promise<Settlement> {
  const { rows } = await sql<{ outcome: Settlement["outcome"]; status: PaymentStatus; tx_id: string | null }>`
    select outcome, status, ledger_transaction_id::text as tx_id
    from payments.settle(${id}, ${v.amount}, ${v.refId}, ${v.cardPan}, ${v.cardHash}, ${v.fee}, ${v.feeType})`
    .execute(tx);
  return { outcome: rows[0].outcome, status: rows[0].status, ledgerTransactionId: rows[0].tx_id };
}

/**
 * Fails, cancels or expires a pending payment; returns the status it has afterwards. `cancelled` goes with the
 * reason "cancelled" (the payer cancelled at the gateway) and only with it.
 */
export async function closePayment(
  tx: Tx,
  id: string,
  status: Extract<PaymentStatus, "failed" | "cancelled" | "expired">,
  why: { reason: FailureReason; code?: number; message?: string },
): Promise<PaymentStatus> {
  const { rows } = await sql<{ status: PaymentStatus }>`
    select payments.close(${id}, ${status}::public.payment_status, ${why.reason}, ${why.code ?? null},
      ${why.message ?? null}) as status`.execute(tx);
  return rows[0].status;
}

export async function flagForReview(tx: Tx, id: string, reason: string): Promise<void> {
  await sql`select payments.flag_for_review(${id}, ${reason})`.execute(tx);
}

/** Appends one gateway exchange (or a callback, as kind "callback") to payment_events. */
export async function recordEvent(
  tx: Tx,
  paymentId: string | null,
  e: Omit<ZarinpalExchange, "endpoint"> & { endpoint: ZarinpalExchange["endpoint"] | "callback" },
): Promise<void> {
  await sql`select payments.record_event(${paymentId}, ${e.endpoint}, ${e.attempt},
    ${jsonParam(e.request)}::text::jsonb, ${e.response?.status ?? null},
    ${e.response === undefined ? null : jsonParam(e.response.body)}::text::jsonb, ${e.error ?? null},
    ${Math.round(e.durationMs)})`.execute(tx);
}

/** Appends a step's gateway exchanges to payment_events, in order, in one statement (nothing when empty). */
export async function recordEvents(
  tx: Tx,
  paymentId: string | null,
  exchanges: readonly ZarinpalExchange[],
): Promise<void> {
  if (!exchanges.length) return;
  const events = exchanges.map((e) => ({
    kind: e.endpoint,
    attempt: e.attempt,
    request: e.request,
    ...(e.response === undefined
      ? {}
      : { response_status: e.response.status, response_body: e.response.body ?? null }),
    error: e.error ?? null,
    duration_ms: Math.round(e.durationMs),
  }));
  await sql`select payments.record_events(${paymentId}, ${jsonParam(events)}::text::jsonb)`.execute(tx);
}

/** A JSON value as a text parameter (cast with ::jsonb in SQL), whatever the driver would do with objects. */
function jsonParam(value: unknown): string {
  return JSON.stringify(value ?? null);
}
