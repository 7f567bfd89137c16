/** zod schemas of the JSON API's inputs and outputs: routes validate with them, the OpenAPI document shows them. */
import { z } from "zod";

const TRANSACTION_KINDS = [
  "topup",
  "credit",
  "refund",
  "debit",
  "transfer",
  "charge",
  "adjustment",
  "withdrawal",
  "reversal",
] as const;
const WITHDRAWAL_STATUSES = ["pending", "approved", "rejected", "cancelled"] as const;

/** Rials as a JSON integer: whole, positive, and exactly representable (no silent rounding above 2^53). */
export const Amount = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
  .describe("Rials (1 toman = 10 rials), a positive JSON integer.");
export const SignedAmount = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)
  .refine((v) => v !== 0, "must not be zero")
  .describe("Rials: positive credits the wallet, negative debits it; never zero.");
const Id = z.string().regex(/^[1-9][0-9]{0,18}$/).describe("A numeric id, as a string.");
const Timestamp = z.iso.datetime({ offset: true });

export const TransferBody = z.strictObject({
  to: z.string().trim().min(3).max(320).describe("The recipient's email address or phone number."),
  amount: Amount,
  note: z.string().trim().max(200).optional(),
});
export const WithdrawalBody = z.strictObject({
  amount: Amount,
  iban: z.string().trim().min(24).max(40).describe("Sheba number: IR and 24 digits (spaces allowed)."),
});
export const ChargeBody = z.strictObject({
  user_id: z.uuid(),
  amount: Amount,
  description: z.string().trim().min(1).max(200),
});
export const AdjustmentBody = z.strictObject({
  amount: SignedAmount,
  reason: z.string().trim().min(3).max(500),
});
export const ApproveBody = z.strictObject({ bank_reference: z.string().trim().min(1).max(100) });
export const RejectBody = z.strictObject({ reason: z.string().trim().min(3).max(500) });

const DateOrTime = z.union([z.iso.date(), Timestamp]);
export const EntriesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  kind: z.enum(TRANSACTION_KINDS).optional(),
  from: DateOrTime.optional().describe("Inclusive: a date (Tehran day) or a timestamp."),
  to: DateOrTime.optional().describe("A date includes that Tehran day; a timestamp is exclusive."),
});
export const WithdrawalsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  status: z.enum(WITHDRAWAL_STATUSES).optional(),
});
export const UserIdParam = z.object({ user_id: z.uuid() });
export const IdParam = z.object({ id: Id });

export const Wallet = z.object({
  balance: z.number().int(),
  held: z.number().int(),
  available: z.number().int(),
  currency: z.literal("IRR"),
});
export const Entry = z.object({
  transaction_id: Id,
  leg: z.number().int(),
  kind: z.enum(TRANSACTION_KINDS),
  amount: z.number().int().describe("Signed rials from the wallet's side."),
  created_at: Timestamp,
  description: z.string().nullable(),
});
export const EntriesPage = z.object({ items: z.array(Entry), next_cursor: z.string().nullable() });
export const Posting = z.object({ transaction_id: Id, amount: z.number().int(), created_at: Timestamp });
export const Withdrawal = z.object({
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
export const WithdrawalsPage = z.object({ items: z.array(Withdrawal), next_cursor: z.string().nullable() });
export const StaffWallet = Wallet.extend({ user_id: z.uuid(), recent_entries: z.array(Entry) });
export const LedgerHealth = z.object({
  ok: z.boolean(),
  problems: z.array(
    z.object({ problem: z.string(), subject: z.string(), detail: z.record(z.string(), z.unknown()) }),
  ),
  system_accounts: z.array(z.object({ code: z.string(), name: z.string(), balance: z.number().int() })),
});
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type TransactionKindName = typeof TRANSACTION_KINDS[number];
export { TRANSACTION_KINDS, WITHDRAWAL_STATUSES };
