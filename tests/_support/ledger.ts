/** Wallet helpers for integration tests: funding through the service credit path, balances, unique keys. */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { asService } from "../../lib/db/client.ts";
import { DomainError } from "../../lib/errors.ts";
import { postCredit } from "../../lib/wallet/postings.ts";
import { type WalletSummary, walletSummary } from "../../lib/wallet/summary.ts";

/** A fresh idempotency key. */
export const key = (label = "k") => `${label}-${crypto.randomUUID()}`;

/** Credits `amount` rials to a user's wallet as a top-up from gateway clearing. */
export async function fund(userId: string, amount: bigint): Promise<string> {
  const { transactionId } = await asService((tx) =>
    postCredit(tx, { userId, amount, idempotencyKey: key("fund"), metadata: { test: true } })
  );
  return transactionId;
}

/** A user's wallet as the service sees it. */
export async function walletOf(userId: string): Promise<WalletSummary> {
  return await asService((tx) => walletSummary(tx, userId));
}

/** Awaits a refusal and checks its domain error code (e.g. "insufficient_funds"); returns the error. */
export async function rejectsWith(fn: () => Promise<unknown>, code: string): Promise<DomainError> {
  const error = await assertRejects(fn);
  assert(error instanceof DomainError, `expected a DomainError, got ${error}`);
  assertEquals(error.code, code, error.message);
  return error;
}

/** A random valid Sheba number: 22 random digits after check digits computed by ISO 13616 mod 97. */
export function randomIban(bankCode = ""): string {
  const bban = bankCode +
    Array.from({ length: 22 - bankCode.length }, () => Math.floor(Math.random() * 10)).join("");
  let rest = 0;
  for (const digit of `${bban}182700`) rest = (rest * 10 + Number(digit)) % 97;
  return `IR${String(98 - rest).padStart(2, "0")}${bban}`;
}
