/**
 * Four eyes on staff money actions: an adjustment above the threshold becomes a request that another staff
 * member approves or rejects (ledger.request_adjustment / approve_adjustment / reject_adjustment decide who
 * may). Every step is audited in the same transaction as the change.
 */
import { sql } from "kysely";
import { asUser, type Claims, type Tx } from "../db/client.ts";
import { type AuditAction, auditActor, recordAuditAsService, type RequestContext } from "../audit/record.ts";
import type { AdjustInput } from "./postings.ts";
import { adjustWallet } from "./staff_actions.ts";
import { walletErrors } from "./errors.ts";
import { emailsByIds } from "../users/admin.ts";

export interface AdjustmentRequest {
  id: string;
  userId: string;
  userEmail: string | null;
  amount: bigint;
  reason: string;
  requestedBy: string;
  requestedByEmail: string | null;
  requestedAt: Date;
}

/** Appends the audit entry of a step, in the step's own transaction (service_role writes the log). */
async function audit(
  tx: Tx,
  claims: Claims,
  action: AuditAction,
  target: string,
  metadata: Record<string, unknown>,
  context: RequestContext,
) {
  await recordAuditAsService(tx, {
    action,
    actor: auditActor(claims),
    target: { type: "user", id: target },
    metadata,
  }, context);
}

/** Asks for an adjustment that needs a second staff member; returns the request id (the same on a repeat). */
export async function requestAdjustment(
  claims: Claims,
  input: AdjustInput,
  context: RequestContext,
): Promise<string> {
  return await asUser(claims, (tx) =>
    walletErrors.mapping(async () => {
      const { rows } = await sql<{ id: string }>`select ledger.request_adjustment(${input.userId}::uuid,
        ${input.amount}::bigint, ${input.reason}, ${input.idempotencyKey}) as id`.execute(tx);
      await audit(tx, claims, "wallet.adjustment_requested", input.userId, {
        request_id: rows[0].id,
        amount: input.amount.toString(),
        reason: input.reason,
      }, context);
      return rows[0].id;
    }));
}

export type AdjustOutcome = { posted: true; transactionId: string } | { posted: false; requestId: string };

/** Adjusts at once, or — above the four-eyes threshold — files the request for a second staff member. */
export async function adjustOrRequest(
  claims: Claims,
  input: AdjustInput,
  context: RequestContext,
): Promise<AdjustOutcome> {
  try {
    const posted = await adjustWallet(claims, input, context);
    return { posted: true, transactionId: posted.transactionId };
  } catch (error) {
    if (!walletErrors.is(error, "second_approval_required")) throw error;
    return { posted: false, requestId: await requestAdjustment(claims, input, context) };
  }
}

/** The second staff member's decision on a request: approve (posts it) or reject with a reason. */
export async function decideAdjustment(
  claims: Claims,
  input: { requestId: string; approve: true } | { requestId: string; approve: false; reason: string },
  context: RequestContext,
): Promise<void> {
  await asUser(claims, (tx) =>
    walletErrors.mapping(async () => {
      const { rows } = await sql<{ user_id: string; amount: string }>`
        select user_id, amount::text from ledger.adjustment_requests where id = ${input.requestId}::bigint`
        .execute(tx);
      if (input.approve) {
        const posted = await sql<
          { id: string }
        >`select ledger.approve_adjustment(${input.requestId}::bigint) as id`
          .execute(tx);
        await audit(tx, claims, "wallet.adjustment_approved", rows[0].user_id, {
          request_id: input.requestId,
          amount: rows[0].amount,
          transaction_id: posted.rows[0].id,
        }, context);
      } else {
        await sql`select ledger.reject_adjustment(${input.requestId}::bigint, ${input.reason})`.execute(tx);
        await audit(tx, claims, "wallet.adjustment_rejected", rows[0].user_id, {
          request_id: input.requestId,
          reason: input.reason,
        }, context);
      }
    }));
}

/** Pending requests (of one customer, or all), oldest first, with the customer's and the requester's emails. */
export async function pendingAdjustmentRequests(
  tx: Tx,
  options: { userId?: string; limit?: number } = {},
): Promise<AdjustmentRequest[]> {
  let query = tx.selectFrom("ledger.adjustment_requests")
    .select(["id", "user_id", "amount", "reason", "requested_by", "requested_at"])
    .where("status", "=", "pending")
    .orderBy("requested_at")
    .limit(options.limit ?? 100);
  if (options.userId) query = query.where("user_id", "=", options.userId);
  const rows = await query.execute();
  const emails = await emailsByIds(tx, rows.flatMap((r) => [r.user_id, r.requested_by]));
  return rows.map((r) => ({
    id: String(r.id),
    userId: r.user_id,
    userEmail: emails.get(r.user_id) ?? null,
    amount: BigInt(r.amount),
    reason: r.reason,
    requestedBy: r.requested_by,
    requestedByEmail: emails.get(r.requested_by) ?? null,
    requestedAt: r.requested_at,
  }));
}
