/** Read models for the payments pages: a user's history and balance, staff lists with filters, events, refunds. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";
import { decodeCursor, encodeCursor, pageSize } from "../wallet/cursor.ts";
import { type Payment, type PaymentRow, type PaymentStatus, toPayment } from "./store.ts";

/** payments.staff_payments (a view the type generator leaves out): every payment column plus the payer's email. */
type StaffPaymentsView = DB["payments"] & { email: string | null };

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
  let query = tx.selectFrom("payments").selectAll()
    .where("user_id", "=", sql<string>`(select auth.uid())`)
    .orderBy("id", "desc").limit(size + 1);
  if (after) query = query.where("id", "<", after);
  return paged(await query.execute(), size, toPayment);
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
  const tehranDay = sql<string>`(created_at at time zone 'Asia/Tehran')::date`;
  let query = staffPayments(tx).selectAll().orderBy("id", "desc").limit(size + 1);
  if (digits) {
    // numeric, not bigint: 19 digits may be past the int8 range, which then simply matches nothing.
    const number = sql<string>`${digits}::numeric`;
    query = query.where((eb) => eb.or([eb("id", "=", number), eb("ref_id", "=", number)]));
  } else if (q) {
    query = query.where((eb) => eb.or([eb("authority", "=", q), eb("email", "ilike", pattern)]));
  }
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.review) query = query.where("needs_review", "=", true);
  if (filter.from) query = query.where(tehranDay, ">=", sql<string>`${filter.from}::date`);
  if (filter.to) query = query.where(tehranDay, "<=", sql<string>`${filter.to}::date`);
  if (after) query = query.where("id", "<", after);
  const rows = await query.execute();
  return paged(rows, size, (row) => ({ ...toPayment(row), email: row.email }));
}

function staffPayments(tx: Tx) {
  return tx.withTables<{ "payments.staff_payments": StaffPaymentsView }>().selectFrom(
    "payments.staff_payments",
  );
}

export async function findForStaff(tx: Tx, id: string): Promise<StaffPayment | undefined> {
  const row = await staffPayments(tx).selectAll().where("id", "=", id).executeTakeFirst();
  return row && { ...toPayment(row), email: row.email };
}

type EventRow = Selectable<DB["payment_events"]>;

export interface PaymentEvent {
  id: EventRow["id"];
  kind: EventRow["kind"];
  attempt: EventRow["attempt"];
  request: EventRow["request"];
  responseStatus: EventRow["response_status"];
  responseBody: EventRow["response_body"];
  error: EventRow["error"];
  durationMs: EventRow["duration_ms"];
  createdAt: EventRow["created_at"];
}

/** Every gateway exchange and callback of a payment, oldest first (RLS: owner or payments.view). */
export async function eventsFor(tx: Tx, paymentId: string): Promise<PaymentEvent[]> {
  const rows = await tx.selectFrom("payment_events").selectAll()
    .where("payment_id", "=", paymentId).orderBy("id").execute();
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

type RefundRow = Selectable<DB["payment_refunds"]>;

export interface Refund {
  id: RefundRow["id"];
  status: RefundRow["status"];
  amount: bigint;
  reason: RefundRow["reason"];
  failureCode: RefundRow["failure_code"];
  failureMessage: RefundRow["failure_message"];
  createdAt: RefundRow["created_at"];
  resolvedAt: RefundRow["resolved_at"];
}

export async function refundsFor(tx: Tx, paymentId: string): Promise<Refund[]> {
  const rows = await tx.selectFrom("payment_refunds").selectAll()
    .where("payment_id", "=", paymentId).orderBy("id").execute();
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
