/** Everything a payments operation needs: settings, the database, a gateway client per payment, the settle step. */
import { asService, type Database, db } from "../db/client.ts";
import { config } from "../config.ts";
import { createZarinpalClient, type ZarinpalClient } from "./zarinpal.ts";
import { recordEvent, settle, type Settlement, type Verified } from "./store.ts";

export interface PaymentSettings {
  merchantId: string;
  /** sha256(merchantId) as 16 hex digits: which terminal a payment belongs to, without storing the credential. */
  merchantKey: string;
  apiUrl: string;
  startPayUrl?: string;
  callbackSecret: string;
  /** Where the gateway sends the browser back: the payments-verify Edge Function. */
  verifyUrl: string;
  appUrl: string;
  minRial: bigint;
  maxRial: bigint;
  authorityTtlSeconds: number;
  reverseWindowSeconds: number;
  timeoutMs: number;
  retries: number;
}

export interface PaymentsContext {
  settings: PaymentSettings;
  db: Database;
  /** A Zarinpal client whose every exchange is stored in payment_events (under `paymentId` when given). */
  gateway(paymentId: string | null): ZarinpalClient;
  /** The settlement step (payments.settle in its own transaction); replaceable to inject faults in tests. */
  settle(paymentId: string, verified: Verified): Promise<Settlement>;
}

/** The first 16 hex digits of sha256(merchant id). */
export async function merchantKeyOf(merchantId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(merchantId.toLowerCase()));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Settings from the process configuration (lib/config.ts). */
export async function settingsFromConfig(): Promise<PaymentSettings> {
  const c = config();
  return {
    merchantId: c.zarinpalMerchantId,
    merchantKey: await merchantKeyOf(c.zarinpalMerchantId),
    apiUrl: c.zarinpalApiUrl,
    startPayUrl: c.ZARINPAL_STARTPAY_URL,
    callbackSecret: c.paymentCallbackSecret,
    verifyUrl: `${c.supabaseUrl.replace(/\/+$/, "")}/functions/v1/payments-verify`,
    appUrl: c.APP_URL.replace(/\/+$/, ""),
    minRial: BigInt(c.PAYMENT_MIN_RIAL),
    maxRial: BigInt(c.PAYMENT_MAX_RIAL),
    authorityTtlSeconds: 30 * 60,
    reverseWindowSeconds: 30 * 60,
    timeoutMs: 10_000,
    retries: 2,
  };
}

/** A context over `database` (default: the process pool); `fetch` lets tests and benches reach a sandbox. */
export function createPaymentsContext(
  settings: PaymentSettings,
  options: { database?: Database; fetch?: typeof fetch } = {},
): PaymentsContext {
  const database = options.database ?? db();
  return {
    settings,
    db: database,
    gateway: (paymentId) =>
      createZarinpalClient({
        baseUrl: settings.apiUrl,
        merchantId: settings.merchantId,
        startPayBaseUrl: settings.startPayUrl,
        timeoutMs: settings.timeoutMs,
        retries: settings.retries,
        fetch: options.fetch,
        onExchange: (exchange) => asService((tx) => recordEvent(tx, paymentId, exchange), database),
      }),
    settle: (paymentId, verified) => asService((tx) => settle(tx, paymentId, verified), database),
  };
}

/** The context for this process's configuration, built per call so a changed configuration is picked up. */
export async function paymentsContext(): Promise<PaymentsContext> {
  return createPaymentsContext(await settingsFromConfig());
}
