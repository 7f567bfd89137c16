/**
 * The smallest withdrawal and transfer (WALLET_MIN_WITHDRAWAL_RIAL, WALLET_MIN_TRANSFER_RIAL), for every caller
 * that is not a wallet page (those check their toman fields themselves): refused before anything changes.
 */
import { config } from "../config.ts";
import { walletErrors } from "./errors.ts";

/** Refuses a withdrawal below the configured minimum. */
export function requireMinimumWithdrawal(amount: bigint): void {
  const minimum = config().WALLET_MIN_WITHDRAWAL_RIAL;
  if (amount < BigInt(minimum)) throw walletErrors.refuse("below_minimum_withdrawal", { minimum });
}

/** Refuses a transfer below the configured minimum. */
export function requireMinimumTransfer(amount: bigint): void {
  const minimum = config().WALLET_MIN_TRANSFER_RIAL;
  if (amount < BigInt(minimum)) throw walletErrors.refuse("below_minimum_transfer", { minimum });
}
