/** The sandbox's policy knobs: behaviour Zarinpal does not document, kept configurable (spec §7, §11). */

export interface SandboxPolicy {
  authorityTtlMs: number;
  reverseWindowMs: number;
  /** HTTP status of failure envelopes in "4xx" mode. */
  errorStatus: number;
  statusMode: "4xx" | "2xx";
  /** Whether the terminal has a server IP allow-list; reverse needs it (-62 otherwise). */
  ipAllowList: boolean;
  allowReversePaid: boolean;
  minAmountRial: number;
  maxAmountRial: number;
  feeType: "Merchant" | "Payer";
  feePercent: number;
  feeCapRial: number;
  unverifiedCodeAsString: boolean;
  /** -12 once a merchant makes more than `max` calls within `windowMs`. */
  rateLimit: { max: number; windowMs: number } | null;
  /** When set, callback URLs on another domain get -14. */
  callbackDomain: string | null;
  /** When set, PAID sessions left unverified this long are refunded (verify then answers -51). */
  unverifiedRefundAfterMs: number | null;
}

export const DEFAULT_POLICY: Readonly<SandboxPolicy> = {
  authorityTtlMs: 30 * 60_000,
  reverseWindowMs: 30 * 60_000,
  errorStatus: 422,
  statusMode: "4xx",
  ipAllowList: true,
  allowReversePaid: false,
  minAmountRial: 1_000,
  maxAmountRial: 1_000_000_000,
  feeType: "Merchant",
  feePercent: 1,
  feeCapRial: 40_000,
  unverifiedCodeAsString: true,
  rateLimit: null,
  callbackDomain: null,
  unverifiedRefundAfterMs: null,
};
