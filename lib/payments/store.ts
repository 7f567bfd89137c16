/** The payments SQL API (schema `payments`) and row mapping; every function takes the transaction first. */
import { type CompiledQuery, type Kysely, type Selectable, sql } from "kysely";
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

/**
 * One statement of a step, apart from where it runs: compiled against any handle, and what its rows mean.
 * Steps whose statements are all known up front run them in one round trip (asServiceAtOnce, via
 * PaymentsContext.inStep); the functions below run the same statements in a caller's transaction.
 */
export interface Statement<T> {
  compile(db: Kysely<DB>): CompiledQuery;
  read(rows: Record<string, unknown>[]): T;
}

async function run<T>(tx: Tx, statement: Statement<T>): Promise<T> {
  const { rows } = await tx.executeQuery(statement.compile(tx));
  return statement.read(rows as Record<string, unknown>[]);
}

/** One payment by id, as the role may see it (RLS applies to users), or undefined. */
export function paymentById(id: string): Statement<Payment | undefined> {
  return {
    compile: (db) => db.selectFrom("payments").selectAll().where("id", "=", id).compile(),
    read: (rows) => rows[0] && toPayment(rows[0] as PaymentRow),
  };
}

/** One payment as the transaction's role may see it (RLS applies to users), or undefined. */
export function findPayment(tx: Tx, id: string): Promise<Payment | undefined> {
  return run(tx, paymentById(id));
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
export function createPendingStatement(
  input: { amount: bigint; description: string; merchantKey: string; ttlSeconds: number },
): Statement<string> {
  return {
    compile: (db) =>
      sql`select payments.create_pending(${input.amount}, ${input.description}, ${input.merchantKey},
        ${input.ttlSeconds})::text as id`.compile(db),
    read: ([row]) => row.id as string,
  };
}

export function createPending(
  tx: Tx,
  input: { amount: bigint; description: string; merchantKey: string; ttlSeconds: number },
): Promise<string> {
  return run(tx, createPendingStatement(input));
}

/** Stores the authority the gateway issued (and the fee it quoted) on a pending payment. */
export function attachAuthorityStatement(
  id: string,
  answer: { authority: string; fee: bigint | null; feeType: string | null },
): Statement<void> {
  return {
    compile: (db) =>
      sql`select payments.attach_authority(${id}, ${answer.authority}, ${answer.fee}, ${answer.feeType})`
        .compile(db),
    read: () => undefined,
  };
}

export function attachAuthority(
  tx: Tx,
  id: string,
  answer: { authority: string; fee: bigint | null; feeType: string | null },
): Promise<void> {
  return run(tx, attachAuthorityStatement(id, answer));
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
export function settleStatement(id: string, v: Verified): Statement<Settlement> {
  return {
    compile: (db) =>
      sql`select outcome, status, ledger_transaction_id::text as tx_id
        from payments.settle(${id}, ${v.amount}, ${v.refId}, ${v.cardPan}, ${v.cardHash}, ${v.fee}, ${v.feeType})`
        .compile(db),
    read: ([row]) => ({
      outcome: row.outcome as Settlement["outcome"],
      status: row.status as PaymentStatus,
      ledgerTransactionId: row.tx_id as string | null,
    }),
  };
}

export function settle(tx: Tx, id: string, v: Verified): Promise<Settlement> {
  return run(tx, settleStatement(id, v));
}

/**
 * Fails, cancels or expires a pending payment; returns the status it has afterwards. `cancelled` goes with the
 * reason "cancelled" (the payer cancelled at the gateway) and only with it.
 */
export function closeStatement(
  id: string,
  status: Extract<PaymentStatus, "failed" | "cancelled" | "expired">,
  why: { reason: FailureReason; code?: number; message?: string },
): Statement<PaymentStatus> {
  return {
    compile: (db) =>
      sql`select payments.close(${id}, ${status}::public.payment_status, ${why.reason}, ${why.code ?? null},
        ${why.message ?? null}) as status`.compile(db),
    read: ([row]) => row.status as PaymentStatus,
  };
}

export function closePayment(
  tx: Tx,
  id: string,
  status: Extract<PaymentStatus, "failed" | "cancelled" | "expired">,
  why: { reason: FailureReason; code?: number; message?: string },
): Promise<PaymentStatus> {
  return run(tx, closeStatement(id, status, why));
}

export function flagStatement(id: string, reason: string): Statement<void> {
  return {
    compile: (db) => sql`select payments.flag_for_review(${id}, ${reason})`.compile(db),
    read: () => undefined,
  };
}

export function flagForReview(tx: Tx, id: string, reason: string): Promise<void> {
  return run(tx, flagStatement(id, reason));
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

/** Appends a step's gateway exchanges to payment_events, in order, in one statement. */
export function recordEventsStatement(
  paymentId: string | null,
  exchanges: readonly ZarinpalExchange[],
): Statement<void> {
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
  return {
    compile: (db) =>
      sql`select payments.record_events(${paymentId}, ${jsonParam(events)}::text::jsonb)`.compile(db),
    read: () => undefined,
  };
}

/** A JSON value as a text parameter (cast with ::jsonb in SQL), whatever the driver would do with objects. */
function jsonParam(value: unknown): string {
  return JSON.stringify(value ?? null);
}
