/**
 * `wallet.view_summary`: a customer's wallet as staff helping them see it — balances, recent payments and
 * withdrawals, masked — read through private.staff_wallet_summary(), which checks the permission, refuses
 * staff members' wallets to those without `wallet.view`, and audits every look (wallet.summary_view).
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { contextJson, type RequestContext } from "../audit/record.ts";
import { walletErrors } from "./errors.ts";

export interface CustomerWalletView {
  balance: bigint;
  held: bigint;
  available: bigint;
  payments: {
    id: string;
    amount: bigint;
    status: string;
    createdAt: Date;
    refId: string | null;
    card: string | null;
  }[];
  withdrawals: { id: string; amount: bigint; status: string; createdAt: Date; ibanLast4: string }[];
}

interface Raw {
  balance: string;
  held: string;
  available: string;
  payments: {
    id: string;
    amount: string;
    status: string;
    created_at: string;
    ref_id: string | null;
    card: string | null;
  }[];
  withdrawals: { id: string; amount: string; status: string; created_at: string; iban_last4: string }[];
}

/** One audited look at `userId`'s wallet (run as the staff member: `asUser`), naming the ticket when there is one. */
export async function viewCustomerWallet(
  tx: Tx,
  input: { userId: string; ticketId?: string },
  context: RequestContext,
): Promise<CustomerWalletView> {
  const raw = await walletErrors.mapping(async () => {
    const { rows } = await sql<{ view: Raw }>`select private.staff_wallet_summary(${input.userId}::uuid,
      ${input.ticketId ?? null}::bigint, ${contextJson(context)}::text::jsonb) as view`.execute(tx);
    return rows[0].view;
  });
  return {
    balance: BigInt(raw.balance),
    held: BigInt(raw.held),
    available: BigInt(raw.available),
    payments: raw.payments.map((p) => ({
      id: p.id,
      amount: BigInt(p.amount),
      status: p.status,
      createdAt: new Date(p.created_at),
      refId: p.ref_id,
      card: p.card,
    })),
    withdrawals: raw.withdrawals.map((w) => ({
      id: w.id,
      amount: BigInt(w.amount),
      status: w.status,
      createdAt: new Date(w.created_at),
      ibanLast4: w.iban_last4,
    })),
  };
}
