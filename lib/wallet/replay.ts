/** Tells a first posting from an idempotent replay: rows made by this transaction carry its start time. */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";

/** True when ledger transaction `id` was created by the current database transaction (not a replay). */
export async function postedNow(tx: Tx, id: string): Promise<boolean> {
  const { rows } = await sql<{ fresh: boolean }>`
    select created_at = now() as fresh from ledger.transactions where id = ${id}::bigint`.execute(tx);
  return rows[0]?.fresh ?? false;
}

/** True when withdrawal `id` was requested by the current database transaction (not a replay). */
export async function requestedNow(tx: Tx, id: string): Promise<boolean> {
  const { rows } = await sql<{ fresh: boolean }>`
    select created_at = now() as fresh from ledger.withdrawals where id = ${id}::bigint`.execute(tx);
  return rows[0]?.fresh ?? false;
}

/** When ledger transaction `id` was posted. */
export async function postedAt(tx: Tx, id: string): Promise<Date> {
  const { rows } = await sql<{ created_at: Date }>`
    select created_at from ledger.transactions where id = ${id}::bigint`.execute(tx);
  return rows[0]?.created_at ?? new Date();
}
