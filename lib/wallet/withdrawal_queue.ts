/**
 * The staff withdrawal queue: filtered lists (status, Tehran days, amount range, customer), one withdrawal
 * with its people, and bulk decisions. A bulk decision is one audited decision per withdrawal, each in its own
 * transaction, so the ledger's rules (four eyes, nobody approves their own) apply to every one of them and a
 * refusal of one does not undo the others.
 */
import { sql } from "kysely";
import type { Claims, Tx } from "../db/client.ts";
import type { RequestContext } from "../audit/record.ts";
import { emailsByIds } from "../users/admin.ts";
import { DomainError } from "../errors.ts";
import { decodeCursor, encodeCursor, pageSize } from "./cursor.ts";
import { walletErrors } from "./errors.ts";
import { approveWithdrawalAudited, rejectWithdrawalAudited } from "./staff_actions.ts";
import { toWithdrawal, type Withdrawal, type WithdrawalPage, type WithdrawalStatus } from "./withdrawals.ts";

export interface WithdrawalFilter {
  status?: WithdrawalStatus;
  /** Tehran calendar days, YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  /** Amount range in rials, inclusive. */
  min?: bigint;
  max?: bigint;
  /** A customer: their user id, or part of their email or name. */
  user?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user ids a customer filter names: the id itself, or up to 100 users whose email or name matches. */
async function customerIds(tx: Tx, user: string): Promise<string[]> {
  if (UUID.test(user)) return [user.toLowerCase()];
  const { rows } = await sql<
    { id: string }
  >`select id::text from private.list_users(${user}, null, null, 100)`
    .execute(tx);
  return rows.map((r) => r.id);
}

/** One page of the queue, newest first, with the requesters' and first approvers' emails. */
export async function listWithdrawalQueue(
  tx: Tx,
  filter: WithdrawalFilter,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ page: WithdrawalPage; emails: Map<string, string> }> {
  const limit = pageSize(options.limit);
  const before = options.cursor ? decodeCursor(options.cursor, 1)[0] : undefined;
  let query = tx.selectFrom("ledger.withdrawals as w").selectAll("w").orderBy("w.id", "desc").limit(
    limit + 1,
  );
  if (filter.status) query = query.where("w.status", "=", filter.status);
  const tehranDay = sql<string>`(w.created_at at time zone 'Asia/Tehran')::date`;
  if (filter.from) query = query.where(tehranDay, ">=", sql<string>`${filter.from}::date`);
  if (filter.to) query = query.where(tehranDay, "<=", sql<string>`${filter.to}::date`);
  if (filter.min !== undefined) query = query.where("w.amount", ">=", filter.min.toString());
  if (filter.max !== undefined) query = query.where("w.amount", "<=", filter.max.toString());
  if (filter.user) {
    const ids = await customerIds(tx, filter.user);
    if (ids.length === 0) return { page: { withdrawals: [], nextCursor: null }, emails: new Map() };
    query = query.where("w.user_id", "in", ids);
  }
  if (before) query = query.where("w.id", "<", before);
  const rows = await query.execute();
  const withdrawals = rows.slice(0, limit).map(toWithdrawal);
  const page = {
    withdrawals,
    nextCursor: rows.length > limit ? encodeCursor([withdrawals[withdrawals.length - 1].id]) : null,
  };
  return { page, emails: await peopleEmails(tx, withdrawals) };
}

/** One withdrawal as staff see it, with its people's emails; undefined when there is none. */
export async function withdrawalForStaff(
  tx: Tx,
  id: string,
): Promise<{ withdrawal: Withdrawal; emails: Map<string, string> } | undefined> {
  const row = await tx.selectFrom("ledger.withdrawals").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const withdrawal = toWithdrawal(row);
  return { withdrawal, emails: await peopleEmails(tx, [withdrawal]) };
}

async function peopleEmails(tx: Tx, withdrawals: Withdrawal[]): Promise<Map<string, string>> {
  const people = withdrawals.flatMap((w) => [w.userId, w.firstApprovedBy]).filter((id) => id !== null);
  return await emailsByIds(tx, [...new Set(people)]);
}

export type BulkDecision =
  | { action: "approve"; bankReference: string }
  | { action: "reject"; reason: string };

/** What a bulk decision did: paid, first approvals recorded, rejected, and the refusals by withdrawal id. */
export interface BulkOutcome {
  paid: string[];
  firstApprovals: string[];
  rejected: string[];
  refused: { id: string; code: string }[];
}

/**
 * Decides each withdrawal in turn, each as its own audited transaction. A refusal by the ledger (the same
 * staff member giving both approvals, their own withdrawal, already decided) is collected, not thrown.
 */
export async function decideWithdrawals(
  claims: Claims,
  ids: string[],
  decision: BulkDecision,
  context: RequestContext,
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { paid: [], firstApprovals: [], rejected: [], refused: [] };
  for (const id of ids) {
    try {
      if (decision.action === "approve") {
        const approval = await approveWithdrawalAudited(
          claims,
          { withdrawalId: id, bankReference: decision.bankReference },
          context,
        );
        (approval.paid ? outcome.paid : outcome.firstApprovals).push(id);
      } else {
        await rejectWithdrawalAudited(claims, { withdrawalId: id, reason: decision.reason }, context);
        outcome.rejected.push(id);
      }
    } catch (error) {
      if (!(error instanceof DomainError) || !walletErrors.is(error)) throw error;
      outcome.refused.push({ id, code: error.code });
    }
  }
  return outcome;
}
