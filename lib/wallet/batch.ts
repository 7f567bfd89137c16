/**
 * Batch transfers for services (ledger.post_batch, ledger.transfer_batch_with_key): up to 1,000 transfers
 * between users' wallets in one statement, decided in order, each posted, replayed or refused on its own.
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { config } from "../config.ts";
import { walletErrors } from "./errors.ts";

/** Most transfers one batch may hold (ledger.post_transfer_batch refuses more with batch_invalid). */
export const MAX_BATCH = 1000;

export interface BatchTransfer {
  from: string;
  to: string;
  amount: bigint;
  idempotencyKey: string;
  note?: string;
}

/** One item's outcome: its transaction (replays too), whether this batch posted it, or the refusal code. */
export interface BatchItemResult {
  /** 1-based position in the batch. */
  item: number;
  transactionId: string | null;
  created: boolean;
  error: string | null;
}

// Amounts travel as JSON numbers; bigint goes into the JSON text unrounded.
const batchJson = (transfers: BatchTransfer[]) =>
  `[${
    transfers.map((t) =>
      `{"from":${JSON.stringify(t.from)},"to":${JSON.stringify(t.to)},"amount":${t.amount},` +
      `"idempotency_key":${JSON.stringify(t.idempotencyKey)}${
        t.note === undefined ? "" : `,"note":${JSON.stringify(t.note)}`
      }}`
    ).join(",")
  }]`;

type Row = { item: number; transaction_id: string | null; created: boolean; error: string | null };
const result = (r: Row): BatchItemResult => ({
  item: r.item,
  transactionId: r.transaction_id,
  created: r.created,
  error: r.error,
});

/** Service only: a batch in the server's own idempotency scope (shared with ledger.post_transfer). */
export async function postBatch(tx: Tx, transfers: BatchTransfer[]): Promise<BatchItemResult[]> {
  return await walletErrors.mapping(async () => {
    const { rows } = await sql<Row>`select item, transaction_id::text, created, error
      from ledger.post_batch(${batchJson(transfers)}::text::jsonb)`.execute(tx);
    return rows.map(result);
  });
}

/** Service, authenticated by an API key (`transfers.batch`): a batch in the key's scope (apikey:<id>). */
export async function transferBatchWithKey(
  tx: Tx,
  input: { apiKey: string; transfers: BatchTransfer[] },
): Promise<BatchItemResult[]> {
  return await walletErrors.mapping(async () => {
    const { rows } = await sql<Row>`select item, transaction_id::text, created, error
      from ledger.transfer_batch_with_key(${input.apiKey}, ${batchJson(input.transfers)}::text::jsonb)`
      .execute(tx);
    return rows.map(result);
  });
}

/**
 * The configured smallest transfer (WALLET_MIN_TRANSFER_RIAL) holds for each item of a batch as for a single API
 * transfer, and is checked first, as there: an item below it is refused with `below_minimum_transfer` and never
 * reaches the ledger (its key stays unused), the others are posted by `post` in their order.
 */
export async function withMinimumTransfer(
  transfers: BatchTransfer[],
  post: (kept: BatchTransfer[]) => Promise<BatchItemResult[]>,
): Promise<BatchItemResult[]> {
  const minimum = BigInt(config().WALLET_MIN_TRANSFER_RIAL);
  const kept = transfers.filter((t) => t.amount >= minimum);
  if (kept.length === transfers.length) return await post(transfers);
  const posted = kept.length ? await post(kept) : [];
  let next = 0;
  return transfers.map((t, i) =>
    t.amount >= minimum
      ? { ...posted[next++], item: i + 1 }
      : { item: i + 1, transactionId: null, created: false, error: "below_minimum_transfer" }
  );
}
