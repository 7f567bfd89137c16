/**
 * The wallet's slice of the JSON API (/api/v1): the zod schemas its routes validate with, the presenters that
 * turn wallet objects into JSON (snake_case; rials as JSON integers, ids as strings), the single-row reads
 * the routes answer with, and the OpenAPI operations the wallet registers: the user's wallet, entries,
 * transfers and withdrawals, the service charges (a ledger posting), and the staff's wallet actions.
 */
import { z, type ZodType } from "zod";
import { INT8_MAX, int8Id, isoDay, isoTimestamp, text } from "../http/schemas.ts";
import type { Tx } from "../db/client.ts";
import { type Operation, registerOperations, registerTag } from "../api/openapi.ts";
// The charges operation answers the API keys domain's refusals (api_key_*): declare them with it.
import "../apikeys/errors.ts";
import { encodeCursor } from "./cursor.ts";
import type { LedgerEntry } from "./entries.ts";
import { walletErrors } from "./errors.ts";
import type { WalletSummary } from "./summary.ts";
import { entryDescription, TRANSACTION_KINDS, WITHDRAWAL_STATUSES } from "./vocabulary.ts";
import { listWithdrawals, type Withdrawal as WithdrawalRow } from "./withdrawals.ts";

// ---- Schemas -------------------------------------------------------------------------------------------

/** Rials as a JSON integer: whole, positive, and exactly representable (no silent rounding above 2^53). */
export const Amount = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
  .describe("Rials (1 toman = 10 rials), a positive JSON integer.");
export const SignedAmount = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)
  .refine((v) => v !== 0, "must not be zero")
  .describe("Rials: positive credits the wallet, negative debits it; never zero.");
const Id = int8Id;
const Timestamp = z.iso.datetime({ offset: true });

export const TransferBody = z.strictObject({
  to: text().trim().min(3).max(320).describe(
    "The recipient's email address, or a mobile number its owner has verified (0912…, +98912…, Persian digits allowed).",
  ),
  amount: Amount,
  note: text().trim().max(200).optional(),
});
export const WithdrawalBody = z.strictObject({
  amount: Amount,
  iban: text().trim().min(24).max(40).describe("Sheba number: IR and 24 digits (spaces allowed)."),
});
export const ChargeBody = z.strictObject({
  user_id: z.uuid(),
  amount: Amount,
  description: text().trim().min(1).max(200),
});
const BatchItem = z.strictObject({
  from: z.uuid().describe("The paying user's id."),
  to: z.uuid().describe("The receiving user's id."),
  amount: Amount,
  idempotency_key: text().min(1).max(255).describe("This transfer's own key, in the API key's scope."),
  note: text().trim().max(200).optional(),
});
export const TransferBatchBody = z.strictObject({
  transfers: z.array(BatchItem).min(1).max(1000).describe(
    "Up to 1000 transfers, decided in order as if posted one after another: a transfer may spend money an earlier one brought in.",
  ),
});
export const AdjustmentBody = z.strictObject({
  amount: SignedAmount,
  reason: text().trim().min(3).max(500),
});
export const ApproveBody = z.strictObject({ bank_reference: text().trim().min(1).max(100) });
export const RejectBody = z.strictObject({ reason: text().trim().min(3).max(500) });

const DateOrTime = z.union([isoDay, isoTimestamp]);
export const EntriesQuery = z.object({
  cursor: text().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  kind: z.enum(TRANSACTION_KINDS).optional(),
  from: DateOrTime.optional().describe("Inclusive: a date (Tehran day) or a timestamp."),
  to: DateOrTime.optional().describe("A date includes that Tehran day; a timestamp is exclusive."),
});
export const WithdrawalsQuery = z.object({
  cursor: text().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  status: z.enum(WITHDRAWAL_STATUSES).optional(),
});
export const UserIdParam = z.object({ user_id: z.uuid() });
export const IdParam = z.object({ id: Id });

const Wallet = z.object({
  balance: z.number().int(),
  held: z.number().int(),
  available: z.number().int(),
  currency: z.literal("IRR"),
});
const Entry = z.object({
  transaction_id: Id,
  leg: z.number().int(),
  kind: z.enum(TRANSACTION_KINDS),
  amount: z.number().int().describe("Signed rials from the wallet's side."),
  created_at: Timestamp,
  description: z.string().nullable(),
});
const EntriesPage = z.object({ items: z.array(Entry), next_cursor: z.string().nullable() });
const Posting = z.object({ transaction_id: Id, amount: z.number().int(), created_at: Timestamp });
const BatchItemResult = z.object({
  item: z.number().int().describe("1-based position in the batch."),
  status: z.enum(["created", "replayed", "refused"]),
  transaction_id: Id.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable().describe(
    "Why this transfer was refused: below_minimum_transfer (under WALLET_MIN_TRANSFER_RIAL, checked first), insufficient_funds, recipient_not_found, account_not_found, self_transfer, invalid_amount, invalid_idempotency_key, invalid_input or idempotency_conflict.",
  ),
});
const TransferBatchResult = z.object({
  created: z.number().int(),
  replayed: z.number().int(),
  refused: z.number().int(),
  results: z.array(BatchItemResult),
});
const Withdrawal = z.object({
  id: Id,
  user_id: z.uuid().nullable(),
  amount: z.number().int(),
  iban: z.string(),
  status: z.enum(WITHDRAWAL_STATUSES),
  bank_reference: z.string().nullable(),
  review_note: z.string().nullable(),
  created_at: Timestamp,
  reviewed_at: Timestamp.nullable(),
});
const WithdrawalsPage = z.object({ items: z.array(Withdrawal), next_cursor: z.string().nullable() });
const StaffWallet = Wallet.extend({ user_id: z.uuid(), recent_entries: z.array(Entry) });
const LedgerHealth = z.object({
  ok: z.boolean(),
  problems: z.array(
    z.object({ problem: z.string(), subject: z.string(), detail: z.record(z.string(), z.unknown()) }),
  ),
  system_accounts: z.array(z.object({ code: z.string(), name: z.string(), balance: z.number().int() })),
});

// ---- Presenters ----------------------------------------------------------------------------------------

export function walletJson(w: WalletSummary) {
  return {
    balance: Number(w.balance),
    held: Number(w.held),
    available: Number(w.available),
    currency: "IRR" as const,
  };
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

export function withdrawalJson(w: WithdrawalRow) {
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

/** A batch's outcome, one result per transfer in order; `message` gives a refusal's text in the caller's language. */
export function transferBatchJson(
  results: readonly { item: number; transactionId: string | null; created: boolean; error: string | null }[],
  message: (code: string) => string,
) {
  const items = results.map((r) => ({
    item: r.item,
    status: r.error ? "refused" as const : r.created ? "created" as const : "replayed" as const,
    transaction_id: r.transactionId,
    error: r.error ? { code: r.error, message: message(r.error) } : null,
  }));
  const count = (status: string) => items.filter((i) => i.status === status).length;
  return {
    created: count("created"),
    replayed: count("replayed"),
    refused: count("refused"),
    results: items,
  };
}

/** A posting (transfer, charge, adjustment) as the API answers it: the amount is the one requested. */
export function postingJson(result: { transactionId: string; createdAt: Date }, amount: number) {
  return {
    transaction_id: result.transactionId,
    amount,
    created_at: result.createdAt.toISOString(),
  };
}

// ---- Reads ---------------------------------------------------------------------------------------------

/** The withdrawal `id` as the caller may see it: the newest one below id + 1, if that is it (RLS applies). */
export async function withdrawalById(tx: Tx, id: string): Promise<WithdrawalRow> {
  // The cursor is exclusive: id + 1, or no cursor for the largest int8 (nothing lies above it).
  const above = BigInt(id) + 1n;
  const { withdrawals } = await listWithdrawals(tx, {
    cursor: above > INT8_MAX ? undefined : encodeCursor([String(above)]),
    limit: 1,
  });
  if (withdrawals[0]?.id !== id) throw walletErrors.refuse("withdrawal_not_found");
  return withdrawals[0];
}

// ---- OpenAPI operations --------------------------------------------------------------------------------

registerTag("wallet", "The signed-in user's wallet: balances, statement and transfers.");
registerTag("withdrawals", "The signed-in user's withdrawals to a Sheba IBAN.");
registerTag(
  "charges",
  "Service charges to a user's wallet, for the operator's own services (an API key with the charges.create scope).",
);
registerTag(
  "transfers",
  "Batch transfers between users' wallets, for the operator's services (an API key with the transfers.batch scope).",
);
registerTag("staff", "Staff actions on wallets, withdrawals and the ledger (by permission, audited).");

/** A staff decision on a pending withdrawal: POST /admin/withdrawals/{id}/<decision>, answering the withdrawal. */
function withdrawalDecision(decision: "approve" | "reject", summary: string, body: ZodType): Operation {
  return {
    method: "post",
    path: `/admin/withdrawals/{id}/${decision}`,
    operationId: `${decision}Withdrawal`,
    summary,
    tag: "staff",
    auth: { permission: "withdrawals.manage", liveSession: true },
    params: IdParam,
    body,
    response: Withdrawal,
    errors: decision === "approve"
      ? ["withdrawal_not_found", "withdrawal_not_pending", "self_approval", "same_approver"]
      : ["withdrawal_not_found", "withdrawal_not_pending"],
  };
}

registerOperations("wallet", [
  {
    method: "get",
    path: "/wallet",
    operationId: "getWallet",
    summary: "My wallet's balances",
    tag: "wallet",
    auth: "user",
    response: Wallet,
  },
  {
    method: "get",
    path: "/wallet/entries",
    operationId: "listWalletEntries",
    summary: "My wallet's entries, newest first (keyset pagination)",
    tag: "wallet",
    auth: "user",
    query: EntriesQuery,
    response: EntriesPage,
    errors: ["invalid_cursor"],
  },
  {
    method: "post",
    path: "/wallet/transfers",
    operationId: "createTransfer",
    summary: "Transfer to another user by email or phone",
    tag: "wallet",
    auth: "user",
    liveSession: true,
    reauthentication: "large",
    idempotent: true,
    body: TransferBody,
    response: Posting,
    status: 201,
    // insufficient_funds comes before any recipient check; a failed look-up counts against a per-user limit.
    errors: [
      "insufficient_funds",
      "recipient_not_found",
      "recipient_phone_unverified",
      "rate_limited",
      "invalid_amount",
      "below_minimum_transfer",
      "self_transfer",
    ],
  },
  {
    method: "post",
    path: "/withdrawals",
    operationId: "createWithdrawal",
    summary: "Request a withdrawal to a Sheba IBAN (the amount is held at once)",
    tag: "withdrawals",
    auth: "user",
    liveSession: true,
    reauthentication: "always",
    idempotent: true,
    body: WithdrawalBody,
    response: Withdrawal,
    status: 201,
    errors: ["insufficient_funds", "invalid_amount", "below_minimum_withdrawal", "invalid_iban"],
  },
  {
    method: "get",
    path: "/withdrawals",
    operationId: "listWithdrawals",
    summary: "My withdrawals, newest first",
    tag: "withdrawals",
    auth: "user",
    query: WithdrawalsQuery,
    response: WithdrawalsPage,
    errors: ["invalid_cursor"],
  },
  {
    method: "post",
    path: "/charges",
    operationId: "createCharge",
    summary: "Charge a user's wallet for a service, to the API key's account (API key only)",
    tag: "charges",
    auth: { apiKeyScope: "charges.create" },
    idempotent: true,
    body: ChargeBody,
    response: Posting,
    status: 201,
    errors: ["account_not_found", "insufficient_funds", "invalid_amount"],
  },
  {
    method: "post",
    path: "/transfers/batch",
    operationId: "createTransferBatch",
    summary:
      "Up to 1000 transfers between users' wallets in one request, each with its own idempotency key and result (API key only)",
    tag: "transfers",
    auth: { apiKeyScope: "transfers.batch" },
    body: TransferBatchBody,
    response: TransferBatchResult,
    status: 200,
    errors: ["batch_invalid", "batch_retry"],
  },
  {
    method: "post",
    path: "/admin/wallets/{user_id}/adjustments",
    operationId: "adjustWallet",
    summary: "Adjust a wallet by a signed amount with a reason (audited)",
    tag: "staff",
    auth: { permission: "wallet.adjust", liveSession: true },
    idempotent: true,
    params: UserIdParam,
    body: AdjustmentBody,
    response: Posting,
    status: 201,
    errors: [
      "account_not_found",
      "insufficient_funds",
      "invalid_amount",
      "self_adjustment",
      "second_approval_required",
      "daily_cap_exceeded",
    ],
  },
  {
    method: "get",
    path: "/admin/wallets/{user_id}",
    operationId: "getUserWallet",
    summary: "A user's wallet and latest entries",
    tag: "staff",
    auth: { permission: "wallet.view" },
    params: UserIdParam,
    response: StaffWallet,
    errors: ["wallet_not_found"],
  },
  withdrawalDecision("approve", "Mark a withdrawal paid with the bank's reference (audited)", ApproveBody),
  withdrawalDecision(
    "reject",
    "Refuse a withdrawal with a reason; the held amount is released (audited)",
    RejectBody,
  ),
  {
    method: "get",
    path: "/admin/ledger/health",
    operationId: "getLedgerHealth",
    summary: "Run the ledger's invariant check; list system account balances",
    tag: "staff",
    auth: { permission: "wallet.view" },
    response: LedgerHealth,
  },
]);
