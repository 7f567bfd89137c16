/** Names the wallet accepts and shows (pages, CSV export and API alike): transaction kinds, withdrawal statuses. */
import type { LedgerEntry, TransactionKind } from "./entries.ts";
import type { WithdrawalStatus } from "./withdrawals.ts";

export const TRANSACTION_KINDS = [
  "topup",
  "credit",
  "refund",
  "debit",
  "transfer",
  "charge",
  "adjustment",
  "withdrawal",
  "reversal",
] as const satisfies readonly TransactionKind[];
export const WITHDRAWAL_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "cancelled",
] as const satisfies readonly WithdrawalStatus[];

export type TransactionKindName = typeof TRANSACTION_KINDS[number];

/** What a statement line says about itself: the transfer note, the adjustment reason or the charge text. */
export function entryDescription(entry: LedgerEntry): string | null {
  const m = entry.metadata;
  for (const key of ["note", "reason", "description"]) {
    if (typeof m[key] === "string" && m[key]) return m[key] as string;
  }
  return null;
}

/** A transaction's reference as receipts, history and CSV show it (Latin digits, to copy and quote). */
export function transactionReference(transactionId: string): string {
  return `TX-${transactionId.padStart(6, "0")}`;
}
