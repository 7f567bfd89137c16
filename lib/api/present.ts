/** Domain objects as the API's JSON (snake_case; rials as JSON integers, ids as strings). */
import type { LedgerEntry } from "../wallet/entries.ts";
import type { WalletSummary } from "../wallet/summary.ts";
import type { Withdrawal } from "../wallet/withdrawals.ts";

export function walletJson(w: WalletSummary) {
  return {
    balance: Number(w.balance),
    held: Number(w.held),
    available: Number(w.available),
    currency: "IRR" as const,
  };
}

/** What a statement line says about itself: the transfer note, the adjustment reason or the charge text. */
export function entryDescription(entry: LedgerEntry): string | null {
  const m = entry.metadata;
  for (const key of ["note", "reason", "description"]) {
    if (typeof m[key] === "string" && m[key]) return m[key] as string;
  }
  return null;
}

export function entryJson(entry: LedgerEntry) {
  return {
    transaction_id: entry.transactionId,
    leg: entry.leg,
    kind: entry.kind,
    amount: Number(entry.amount),
    created_at: entry.createdAt.toISOString(),
    description: entryDescription(entry),
  };
}

export function withdrawalJson(w: Withdrawal) {
  return {
    id: w.id,
    user_id: w.userId,
    amount: Number(w.amount),
    iban: w.iban,
    status: w.status,
    bank_reference: w.bankReference,
    review_note: w.reviewNote,
    created_at: w.createdAt.toISOString(),
    reviewed_at: w.reviewedAt?.toISOString() ?? null,
  };
}
