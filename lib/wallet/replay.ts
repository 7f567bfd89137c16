/**
 * Tells a first posting from an idempotent replay (rows made by this database transaction carry its start
 * time, now()), so the API can answer 201 for a new posting and 200 with the original result for a replay.
 */
import { sql } from "kysely";
import { type Claims, claimsText, statement, type Tx } from "../db/client.ts";
import { walletErrors } from "./errors.ts";
import type { TransferInput } from "./transfers.ts";

export interface Outcome {
  transactionId: string;
  createdAt: Date;
  /** False when the idempotency key replayed an earlier posting. */
  created: boolean;
}

/** When the caller's ledger transaction `id` was posted, and whether by the current database transaction. */
export async function postingOutcome(tx: Tx, id: string): Promise<Outcome> {
  const { rows } = await sql<{ created_at: Date; created: boolean }>`
    select created_at, created from ledger.posting_receipt(${id}::bigint)`.execute(tx);
  return {
    transactionId: id,
    createdAt: rows[0]?.created_at ?? new Date(),
    created: rows[0]?.created ?? false,
  };
}

/** True when withdrawal `id` was requested by the current database transaction (not a replay). */
export async function requestedNow(tx: Tx, id: string): Promise<boolean> {
  const { rows } = await sql<{ fresh: boolean }>`
    select created_at = now() as fresh from ledger.withdrawals where id = ${id}::bigint`.execute(tx);
  return rows[0]?.fresh ?? false;
}

/**
 * ledger.transfer as the signed-in user, and whether this call posted it or replayed an earlier one. The
 * API's busiest call, so it is one statement with no surrounding transaction: ledger.transfer_as takes the
 * verified claims and becomes `authenticated` itself, as asUser would, and the transfer's row locks last
 * only while the server works (not across a round trip to this process for COMMIT). `claims` must come
 * from a verified access token. Sent as a prepared postgres.js statement, without Kysely (`statement`).
 */
export async function transferWithOutcome(claims: Claims, input: TransferInput): Promise<Outcome> {
  return await walletErrors.mapping(async () => {
    const [row] = await statement()<{ transaction_id: string; created_at: Date; created: boolean }[]>`
      select transaction_id::text, created_at, created from ledger.transfer_as(${claimsText(claims)},
        ${input.recipient}, ${String(input.amount)}::bigint, ${input.idempotencyKey}, ${input.note ?? null})`;
    return { transactionId: row.transaction_id, createdAt: row.created_at, created: row.created };
  });
}
