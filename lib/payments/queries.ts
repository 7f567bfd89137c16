/** Read models for the payments pages: a user's history and balance, staff lists with filters, events, refunds. */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { decodeCursor, encodeCursor, pageSize } from "../wallet/cursor.ts";
import { type Payment, type PaymentRow, type PaymentStatus, toPayment } from "./store.ts";

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next page, when there may be one. */
  next?: string;
}

/** One page (plus one row, to know whether there is more) in, the page and the next cursor out. */
function paged<R extends PaymentRow, T>(rows: R[], size: number, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, size);
  const last = items.at(-1);
  return { items: items.map(map), next: rows.length > size && last ? encodeCursor([last.id]) : undefined };
}

/** The id to continue below; a cursor that is not ours is a 400 (InvalidCursor). */
const afterId = (cursor?: string) => cursor ? decodeCursor(cursor, 1)[0] : null;

/** The signed-in user's payments, newest first (RLS keeps them to their own). */
export async function listMyPayments(tx: Tx, options: { cursor?: string; pageSize?: number } = {}) {
  const size = pageSize(options.pageSize);
  const after = afterId(options.cursor);
  const { rows } = await sql<PaymentRow>`
    select * from public.payments
    where user_id = (select auth.uid()) and (${after}::bigint is null or id < ${after})
    order by id desc limit ${size + 1}`.execute(tx);
  return paged(rows, size, toPayment);
}

export interface StaffFilter {
  /** A payment id or ref id (all digits), else an authority or part of the payer's email. */
  q?: string;
  status?: PaymentStatus;
  review?: boolean;
  /** Tehran calendar days, inclusive, as YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export type StaffPayment = Payment & { email: string | null };

/** Payments for staff with `payments.view` (payments.staff_payments is empty for anyone else). */
export async function listForStaff(
  tx: Tx,
  filter: StaffFilter,
  options: { cursor?: string; pageSize?: number } = {},
): Promise<Page<StaffPayment>> {
  const size = Math.min(Math.max(options.pageSize ?? 25, 1), 1000);
  const after = afterId(options.cursor);
  const q = filter.q?.trim() || null;
  const digits = q && /^[0-9]{1,19}$/.test(q) ? q : null;
  const pattern = q && `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const { rows } = await sql<PaymentRow & { email: string | null }>`
    select * from payments.staff_payments
    where (${q}::text is null
           or (${digits}::numeric is not null and (id = ${digits}::numeric or ref_id = ${digits}::numeric))
           or (${digits}::numeric is null and (authority = ${q} or email ilike ${pattern})))
      and (${filter.status ?? null}::public.payment_status is null or status = ${filter.status ?? null})
      and (not ${filter.review ?? false} or needs_review)
      and (${filter.from ?? null}::date is null or (created_at at time zone 'Asia/Tehran')::date >= ${
    filter.from ?? null
  })
      and (${filter.to ?? null}::date is null or (created_at at time zone 'Asia/Tehran')::date <= ${
    filter.to ?? null
  })
      and (${after}::bigint is null or id < ${after})
    order by id desc limit ${size + 1}`.execute(tx);
  return paged(rows, size, (row) => ({ ...toPayment(row), email: row.email }));
}

export async function findForStaff(tx: Tx, id: string): Promise<StaffPayment | undefined> {
  const { rows } = await sql<PaymentRow & { email: string | null }>`
    select * from payments.staff_payments where id = ${id}`.execute(tx);
  return rows[0] && { ...toPayment(rows[0]), email: rows[0].email };
}

export interface PaymentEvent {
  id: string;
  kind: string;
  attempt: number;
  request: unknown;
  responseStatus: number | null;
  responseBody: unknown;
  error: string | null;
  durationMs: number | null;
  createdAt: Date;
}

/** Every gateway exchange and callback of a payment, oldest first (RLS: owner or payments.view). */
export async function eventsFor(tx: Tx, paymentId: string): Promise<PaymentEvent[]> {
  const { rows } = await sql<{
    id: string;
    kind: string;
    attempt: number;
    request: unknown;
    response_status: number | null;
    response_body: unknown;
    error: string | null;
    duration_ms: number | null;
    created_at: Date;
  }>`select * from public.payment_events where payment_id = ${paymentId} order by id`.execute(tx);
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind,
    attempt: r.attempt,
    request: r.request,
    responseStatus: r.response_status,
    responseBody: r.response_body,
    error: r.error,
    durationMs: r.duration_ms,
    createdAt: r.created_at,
  }));
}

export interface Refund {
  id: string;
  status: "pending" | "completed" | "failed";
  amount: bigint;
  reason: string;
  failureCode: number | null;
  failureMessage: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export async function refundsFor(tx: Tx, paymentId: string): Promise<Refund[]> {
  const { rows } = await sql<{
    id: string;
    status: Refund["status"];
    amount: string;
    reason: string;
    failure_code: number | null;
    failure_message: string | null;
    created_at: Date;
    resolved_at: Date | null;
  }>`select * from public.payment_refunds where payment_id = ${paymentId} order by id`.execute(tx);
  return rows.map((r) => ({
    id: String(r.id),
    status: r.status,
    amount: BigInt(r.amount),
    reason: r.reason,
    failureCode: r.failure_code,
    failureMessage: r.failure_message,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  }));
}

export interface StaffPaymentDetail {
  payment: StaffPayment;
  refunds: Refund[];
  events: PaymentEvent[];
}

/** A payment with its refunds and gateway exchange, for the staff page (undefined when not visible). */
export async function staffPaymentDetail(tx: Tx, id: string): Promise<StaffPaymentDetail | undefined> {
  const payment = await findForStaff(tx, id);
  if (!payment) return undefined;
  return { payment, refunds: await refundsFor(tx, id), events: await eventsFor(tx, id) };
}
