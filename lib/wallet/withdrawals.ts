/** Withdrawals to a Sheba IBAN: the user requests (amount held at once) or cancels; finance approves or rejects. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";
import { decodeCursor, encodeCursor, pageSize } from "./cursor.ts";
import { walletErrors } from "./errors.ts";
import { validateIban } from "./iban.ts";

type WithdrawalRow = Selectable<DB["ledger.withdrawals"]>;

/** ledger.withdrawal_status. */
export type WithdrawalStatus = WithdrawalRow["status"];

export interface Withdrawal {
  id: WithdrawalRow["id"];
  userId: WithdrawalRow["user_id"];
  amount: bigint;
  iban: WithdrawalRow["iban"];
  status: WithdrawalStatus;
  bankReference: WithdrawalRow["bank_reference"];
  reviewNote: WithdrawalRow["review_note"];
  transactionId: WithdrawalRow["transaction_id"];
  createdAt: WithdrawalRow["created_at"];
  reviewedAt: WithdrawalRow["reviewed_at"];
  /** The first of two staff approvals, for withdrawals above the four-eyes threshold. */
  firstApprovedBy: WithdrawalRow["first_approved_by"];
}

export interface WithdrawalRequest {
  amount: bigint;
  iban: string;
  idempotencyKey: string;
}

/** The signed-in user asks to pay out `amount` to their IBAN; the amount is held at once. Idempotent by key. */
export async function requestWithdrawal(tx: Tx, input: WithdrawalRequest): Promise<{ withdrawalId: string }> {
  const iban = validateIban(input.iban);
  return await walletErrors.mapping(async () => {
    const { rows } = await sql<
      { id: string }
    >`select ledger.request_withdrawal(${input.amount}::bigint, ${iban},
      ${input.idempotencyKey}) as id`.execute(tx);
    return { withdrawalId: rows[0].id };
  });
}

/** Finance (`withdrawals.manage`): paid with this bank reference: hold consumed, wallet debited, payouts credited. */
export async function approveWithdrawal(
  tx: Tx,
  input: { withdrawalId: string; bankReference: string },
): Promise<WithdrawalApproval> {
  return await walletErrors.mapping(async () => {
    const { rows } = await sql<{ id: string | null }>`select ledger.approve_withdrawal(
      ${input.withdrawalId}::bigint, ${input.bankReference}) as id`.execute(tx);
    return rows[0].id === null ? { paid: false } : { paid: true, transactionId: rows[0].id };
  });
}

/**
 * Paid (the hold consumed, with the posting), or only the first of two approvals recorded: above the
 * four-eyes threshold a second staff member must approve too (ledger.approve_withdrawal decides).
 */
export type WithdrawalApproval = { paid: true; transactionId: string } | { paid: false };

/** Finance (`withdrawals.manage`): refuses with a reason; the held amount becomes available again. */
export async function rejectWithdrawal(
  tx: Tx,
  input: { withdrawalId: string; reason: string },
): Promise<void> {
  await walletErrors.mapping(() =>
    sql`select ledger.reject_withdrawal(${input.withdrawalId}::bigint, ${input.reason})`.execute(tx)
  );
}

/** The owner withdraws their own pending request; the held amount becomes available again. */
export async function cancelWithdrawal(tx: Tx, input: { withdrawalId: string }): Promise<void> {
  await walletErrors.mapping(() =>
    sql`select ledger.cancel_withdrawal(${input.withdrawalId}::bigint)`.execute(tx)
  );
}

export interface ListWithdrawalsOptions {
  /** Only this user's (staff); users see only their own anyway (RLS). */
  userId?: string;
  status?: WithdrawalStatus;
  cursor?: string;
  limit?: number;
}

export interface WithdrawalPage {
  withdrawals: Withdrawal[];
  nextCursor: string | null;
}

/** Withdrawals visible to the caller, newest first, paginated by keyset. */
export async function listWithdrawals(tx: Tx, options: ListWithdrawalsOptions = {}): Promise<WithdrawalPage> {
  const limit = pageSize(options.limit);
  const before = options.cursor ? decodeCursor(options.cursor, 1)[0] : undefined;
  let query = tx.selectFrom("ledger.withdrawals as w")
    .select([
      "w.id",
      "w.user_id",
      "w.amount",
      "w.iban",
      "w.status",
      "w.bank_reference",
      "w.review_note",
      "w.transaction_id",
      "w.created_at",
      "w.reviewed_at",
      "w.first_approved_by",
    ])
    .orderBy("w.id", "desc")
    .limit(limit + 1);
  if (options.userId) query = query.where("w.user_id", "=", options.userId);
  if (options.status) query = query.where("w.status", "=", options.status);
  if (before) query = query.where("w.id", "<", before);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    withdrawals: page.map(toWithdrawal),
    nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].id]) : null,
  };
}

/** A row of ledger.withdrawals (the columns a Withdrawal shows) as a Withdrawal. */
export function toWithdrawal(
  r: Pick<
    WithdrawalRow,
    | "id"
    | "user_id"
    | "amount"
    | "iban"
    | "status"
    | "bank_reference"
    | "review_note"
    | "transaction_id"
    | "created_at"
    | "reviewed_at"
    | "first_approved_by"
  >,
): Withdrawal {
  return {
    id: r.id,
    userId: r.user_id,
    amount: BigInt(r.amount),
    iban: r.iban,
    status: r.status,
    bankReference: r.bank_reference,
    reviewNote: r.review_note,
    transactionId: r.transaction_id,
    createdAt: r.created_at,
    reviewedAt: r.reviewed_at,
    firstApprovedBy: r.first_approved_by,
  };
}
