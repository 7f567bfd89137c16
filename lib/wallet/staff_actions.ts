/**
 * Finance actions with their audit entries in the same database transaction: a wallet adjustment, and a
 * withdrawal approved or rejected. The ledger function runs as the staff member (it checks the permission);
 * the audit entry is then appended as service_role, the only role that may write the log. A replayed
 * adjustment (same idempotency key) is not audited twice.
 */
import { asUser, type Claims, type Tx } from "../db/client.ts";
import { auditActor, recordAuditAsService, type RequestContext } from "../audit/record.ts";
import { adjust, type AdjustInput } from "./postings.ts";
import { approveWithdrawal, rejectWithdrawal, type WithdrawalApproval } from "./withdrawals.ts";
import { postingOutcome } from "./replay.ts";
import type { Posted } from "./transfers.ts";

/** `wallet.adjust`: a signed adjustment with a reason, audited as wallet.adjust. `created` is false on a replay. */
export async function adjustWallet(
  claims: Claims,
  input: AdjustInput,
  context: RequestContext,
): Promise<Posted & { created: boolean; createdAt: Date }> {
  return await asUser(claims, async (tx) => {
    const posted = await adjust(tx, input);
    const { created, createdAt } = await postingOutcome(tx, posted.transactionId);
    if (created) {
      await recordAuditAsService(tx, {
        action: "wallet.adjust",
        actor: auditActor(claims),
        target: { type: "user", id: input.userId },
        metadata: {
          amount: input.amount.toString(),
          reason: input.reason,
          transaction_id: posted.transactionId,
        },
      }, context);
    }
    return { ...posted, created, createdAt };
  });
}

/**
 * `withdrawals.manage`: marks a withdrawal paid with the bank's reference, audited as withdrawals.approve;
 * above the four-eyes threshold the first approval is only recorded (withdrawals.first_approval).
 */
export async function approveWithdrawalAudited(
  claims: Claims,
  input: { withdrawalId: string; bankReference: string },
  context: RequestContext,
): Promise<WithdrawalApproval> {
  return await asUser(claims, async (tx) => {
    const approval = await approveWithdrawal(tx, input);
    const owner = await withdrawalOwner(tx, input.withdrawalId);
    await recordAuditAsService(tx, {
      action: approval.paid ? "withdrawals.approve" : "withdrawals.first_approval",
      actor: auditActor(claims),
      target: owner ? { type: "user", id: owner } : undefined,
      metadata: {
        withdrawal_id: input.withdrawalId,
        bank_reference: input.bankReference,
        transaction_id: approval.paid ? approval.transactionId : null,
      },
    }, context);
    return approval;
  });
}

/** `withdrawals.manage`: refuses a withdrawal with a reason (the hold is released), audited as withdrawals.reject. */
export async function rejectWithdrawalAudited(
  claims: Claims,
  input: { withdrawalId: string; reason: string },
  context: RequestContext,
): Promise<void> {
  await asUser(claims, async (tx) => {
    await rejectWithdrawal(tx, input);
    const owner = await withdrawalOwner(tx, input.withdrawalId);
    await recordAuditAsService(tx, {
      action: "withdrawals.reject",
      actor: auditActor(claims),
      target: owner ? { type: "user", id: owner } : undefined,
      metadata: { withdrawal_id: input.withdrawalId, reason: input.reason },
    }, context);
  });
}

async function withdrawalOwner(tx: Tx, id: string): Promise<string | undefined> {
  const row = await tx.selectFrom("ledger.withdrawals").select("user_id").where("id", "=", id)
    .executeTakeFirst();
  return row?.user_id ?? undefined;
}
