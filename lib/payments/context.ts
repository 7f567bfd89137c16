/** Everything a payments operation needs: settings, the database, a gateway client per payment, the settle step. */
import { asService, asServiceAtOnce, type Database, db } from "../db/client.ts";
import { type Config, config } from "../config.ts";
import { createZarinpalClient, type ZarinpalClient, type ZarinpalExchange } from "./zarinpal.ts";
import {
  recordEvent,
  recordEventsStatement,
  type Settlement,
  settleStatement,
  type Statement,
  type Verified,
} from "./store.ts";

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
  /**
   * A Zarinpal client whose every exchange is stored in payment_events (under `paymentId` when given). With
   * `answered`, exchanges that got an answer are collected there instead, for the caller to store in the
   * transaction of the step they lead to (`inStep`); attempts without an answer are stored at once.
   */
  gateway(paymentId: string | null, answered?: ZarinpalExchange[]): ZarinpalClient;
  /**
   * The settlement step (payments.settle in its own transaction, with the exchanges that led to it);
   * replaceable to inject faults in tests.
   */
  settle(paymentId: string, verified: Verified, events?: ZarinpalExchange[]): Promise<Settlement>;
  /**
   * One transaction (as service_role) in one round trip: stores `events` (emptying the array), then runs
   * `statement`; if it fails, the events are stored on their own before the error is rethrown.
   */
  inStep<T>(
    paymentId: string | null,
    events: ZarinpalExchange[],
    statement?: Statement<T>,
  ): Promise<T | undefined>;
}

/** The first 16 hex digits of sha256(merchant id). */
export async function merchantKeyOf(merchantId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(merchantId.toLowerCase()));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Settings from the process configuration (lib/config.ts), or from `c`. */
export async function settingsFromConfig(c: Config = config()): Promise<PaymentSettings> {
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
  // The process pool is looked up at each use (closeDb() may replace it), so a context can be kept.
  const database = () => options.database ?? db();
  const inStep = async <T>(
    paymentId: string | null,
    events: ZarinpalExchange[],
    statement?: Statement<T>,
  ): Promise<T | undefined> => {
    const taken = events.splice(0);
    const record = taken.length ? [recordEventsStatement(paymentId, taken)] : [];
    if (!statement && !record.length) return undefined;
    const handle = database();
    try {
      // record_events first: it takes the payment's row lock that settle and close take next.
      const rows = await asServiceAtOnce(
        [...record, ...(statement ? [statement] : [])].map((s) => s.compile(handle)),
        handle,
      );
      return statement?.read(rows.at(-1)!);
    } catch (error) {
      if (statement && record.length) {
        await asServiceAtOnce([record[0].compile(handle)], handle)
          .catch((e) => console.error("payments: storing gateway exchanges failed", e));
      }
      throw error;
    }
  };
  return {
    settings,
    get db() {
      return database();
    },
    gateway: (paymentId, answered) =>
      createZarinpalClient({
        baseUrl: settings.apiUrl,
        merchantId: settings.merchantId,
        startPayBaseUrl: settings.startPayUrl,
        timeoutMs: settings.timeoutMs,
        retries: settings.retries,
        fetch: options.fetch,
        onExchange: (exchange) =>
          answered && exchange.response
            ? void answered.push(exchange)
            : asService((tx) => recordEvent(tx, paymentId, exchange), database()),
      }),
    settle: async (paymentId, verified, events = []) =>
      (await inStep(paymentId, events, settleStatement(paymentId, verified)))!,
    inStep,
  };
}

const contexts = new WeakMap<Config, Promise<PaymentsContext>>();

/**
 * The context for this process's configuration. Built once per configuration (setConfig() makes a new one),
 * not per request: the Edge Functions and the top-up route call this on every request, and each build hashed
 * the merchant id and made the context's closures again.
 */
export function paymentsContext(): Promise<PaymentsContext> {
  const c = config();
  let context = contexts.get(c);
  if (!context) {
    context = settingsFromConfig(c).then((settings) => createPaymentsContext(settings));
    contexts.set(c, context);
    context.catch(() => contexts.delete(c));
  }
  return context;
}
