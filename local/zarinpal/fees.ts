/** The sandbox's fee model and card helpers (masked PAN, SHA-256 card hash). */
import { createHash } from "node:crypto";
import type { SandboxPolicy } from "./policy.ts";

export interface FeeQuote {
  fee: number;
  fee_type: SandboxPolicy["feeType"];
  suggested_amount: number;
}

/** Fee in the unit of `amount`: `feePercent` of the rial value, capped at `feeCapRial`. */
export function quoteFee(amount: number, currency: "IRR" | "IRT", policy: SandboxPolicy): FeeQuote {
  const unit = currency === "IRT" ? 10 : 1;
  const feeOf = (value: number) =>
    Math.round(Math.min(Math.round((value * unit * policy.feePercent) / 100), policy.feeCapRial) / unit);
  const fee = feeOf(amount);
  // The amount to ask for so that what is left after the fee equals `amount`.
  let suggested = Math.ceil(amount / (1 - policy.feePercent / 100));
  if (suggested - feeOf(suggested) !== amount) suggested = amount + feeOf(suggested);
  return { fee, fee_type: policy.feeType, suggested_amount: suggested };
}

/** `6037991234567890` → `603799******7890`, the way verify shows a card. */
export function maskPan(pan: string): string {
  return pan.length < 10 ? pan : `${pan.slice(0, 6)}${"*".repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/**
 * SHA-256 of the PAN as 64 upper-case hex characters (verify's `card_hash`); node:crypto's synchronous hash
 * (WebCrypto's asynchronous digest was a visible part of the top-up bench's process, where the sandbox runs).
 */
export function hashPan(pan: string): string {
  return createHash("sha256").update(pan).digest("hex").toUpperCase();
}
