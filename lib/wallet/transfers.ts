/** Transfers between users' wallets: by the signed-in user to an email or phone, or by a service between ids. */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { walletErrors } from "./errors.ts";

export interface TransferInput {
  /** The recipient's email address or phone number (09…, +98…, 98…). */
  recipient: string;
  /** Rials. */
  amount: bigint;
  /** Chosen by the client per intended transfer; a retry with the same key and request returns the same transaction. */
  idempotencyKey: string;
  note?: string;
}

export interface Posted {
  transactionId: string;
}

/** Moves money from the signed-in user's wallet (run as the user). Idempotent by key; refuses overdrafts. */
export async function transfer(tx: Tx, input: TransferInput): Promise<Posted> {
  return await walletErrors.mapping(async () => {
    const { rows } = await sql<
      { id: string }
    >`select ledger.transfer(${input.recipient}, ${input.amount}::bigint,
      ${input.idempotencyKey}, ${input.note ?? null}) as id`.execute(tx);
    return { transactionId: rows[0].id };
  });
}

export interface ServiceTransferInput {
  fromUserId: string;
  toUserId: string;
  amount: bigint;
  idempotencyKey: string;
  note?: string;
}

/** Service transfer between two users by id (run as service_role). Idempotent by key; refuses overdrafts. */
export async function postTransfer(tx: Tx, input: ServiceTransferInput): Promise<Posted> {
  return await walletErrors.mapping(async () => {
    const { rows } = await sql<{ id: string }>`select ledger.post_transfer(${input.fromUserId}::uuid,
      ${input.toUserId}::uuid, ${input.amount}::bigint, ${input.idempotencyKey}, ${input.note ?? null}) as id`
      .execute(tx);
    return { transactionId: rows[0].id };
  });
}
