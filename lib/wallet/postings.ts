/** Service and staff postings: gateway credits and debits, charges, admin adjustments and reversals. */
import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { TransactionKind } from "./entries.ts";
import { walletErrors } from "./errors.ts";
// Keyed charges raise the API keys domain's refusals (AK001 unknown key, AK002 scope) too.
import "../apikeys/errors.ts";
import type { Posted } from "./transfers.ts";

export interface GatewayPostingInput {
  userId: string;
  amount: bigint;
  idempotencyKey: string;
  metadata?: Record<string, unknown>;
}

async function postedId(tx: Tx, query: RawBuilder<{ id: string }>): Promise<Posted> {
  return await walletErrors.mapping(async () => {
    const { rows } = await query.execute(tx);
    return { transactionId: rows[0].id };
  });
}

/** Service: credits a wallet from gateway clearing (a settled top-up or other credit). Idempotent by key. */
export async function postCredit(
  tx: Tx,
  input: GatewayPostingInput & { kind?: Extract<TransactionKind, "topup" | "credit"> },
): Promise<Posted> {
  return await postedId(
    tx,
    sql<{ id: string }>`select ledger.post_credit(${input.userId}::uuid, ${input.amount}::bigint,
      ${input.kind ?? "topup"}::ledger.transaction_kind, ${input.idempotencyKey},
      ${input.metadata ?? {}}::jsonb) as id`,
  );
}

/** Service: debits a wallet back to gateway clearing (a refund); refuses when the wallet cannot cover it. */
export async function postDebit(
  tx: Tx,
  input: GatewayPostingInput & { kind?: Extract<TransactionKind, "refund" | "debit"> },
): Promise<Posted> {
  return await postedId(
    tx,
    sql<{ id: string }>`select ledger.post_debit(${input.userId}::uuid, ${input.amount}::bigint,
      ${input.kind ?? "refund"}::ledger.transaction_kind, ${input.idempotencyKey},
      ${input.metadata ?? {}}::jsonb) as id`,
  );
}

/**
 * Service only (server code and tests; no route calls it): a charge in the server's own idempotency scope,
 * beside the internal keys. The API charges with chargeWithKey instead.
 */
export async function charge(tx: Tx, input: GatewayPostingInput & { account?: string }): Promise<Posted> {
  return await postedId(
    tx,
    sql<{ id: string }>`select ledger.charge(${input.userId}::uuid, ${input.amount}::bigint,
      ${input.idempotencyKey}, ${input.metadata ?? {}}::jsonb, ${input.account ?? "revenue"}) as id`,
  );
}

/** A charge made with an API key: the transaction, when, whether this call posted it, and the key's id. */
export interface KeyedCharge extends Posted {
  createdAt: Date;
  created: boolean;
  apiKeyId: string;
}

/**
 * Service, authenticated by an API key (`charges.create`): charges a user's wallet to the key's account.
 * The idempotency key lives in the key's own scope (apikey:<id>), never beside internal keys (payment:…).
 */
export async function chargeWithKey(
  tx: Tx,
  input: GatewayPostingInput & { apiKey: string },
): Promise<KeyedCharge> {
  return await walletErrors.mapping(async () => {
    const { rows: [row] } = await sql<
      { transaction_id: string; created_at: Date; created: boolean; api_key_id: string }
    >`select transaction_id::text, created_at, created, api_key_id::text
      from ledger.charge_with_key(${input.apiKey}, ${input.userId}::uuid, ${input.amount}::bigint,
        ${input.idempotencyKey}, ${input.metadata ?? {}}::jsonb)`.execute(tx);
    return {
      transactionId: row.transaction_id,
      createdAt: row.created_at,
      created: row.created,
      apiKeyId: row.api_key_id,
    };
  });
}

export interface AdjustInput {
  userId: string;
  /** Signed rials: positive credits the wallet, negative debits it (never below zero available). */
  amount: bigint;
  reason: string;
  idempotencyKey: string;
}

/** Finance (`wallet.adjust`): a manual adjustment against the adjustments account, with a mandatory reason. */
export async function adjust(tx: Tx, input: AdjustInput): Promise<Posted> {
  return await postedId(
    tx,
    sql<{ id: string }>`select ledger.adjust(${input.userId}::uuid, ${input.amount}::bigint, ${input.reason},
      ${input.idempotencyKey}) as id`,
  );
}

export interface ReverseInput {
  transactionId: string;
  reason: string;
  idempotencyKey: string;
}

/** Finance (`wallet.adjust`): a new transaction negating every entry of the original, linked to it; once only. */
export async function reverse(tx: Tx, input: ReverseInput): Promise<Posted> {
  return await postedId(
    tx,
    sql<{ id: string }>`select ledger.reverse(${input.transactionId}::bigint, ${input.reason},
      ${input.idempotencyKey}) as id`,
  );
}
