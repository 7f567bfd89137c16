/** Typed client for Zarinpal's v4 payment API (request, verify, unVerified, inquiry, reverse) and StartPay URLs. */
import type { z } from "zod";
import {
  envelope,
  inquiryData,
  type InquiryResult,
  metadataOf,
  nothing,
  outcomeOf,
  parseJson,
  type PaymentRequestInput,
  requestData,
  type RequestResult,
  type ReverseResult,
  unverifiedData,
  type UnverifiedResult,
  verifyData,
  type VerifyResult,
  wireAmount,
  type ZarinpalFailure,
} from "./zarinpal_wire.ts";

export type * from "./zarinpal_wire.ts";

export type ZarinpalEndpoint = "request" | "verify" | "unVerified" | "inquiry" | "reverse";

/** One HTTP attempt, for the caller to keep (payment_events). The merchant id in `request` is shortened. */
export interface ZarinpalExchange {
  endpoint: ZarinpalEndpoint;
  attempt: number;
  request: Record<string, unknown>;
  response?: { status: number; body: unknown };
  error?: string;
  durationMs: number;
}

export interface ZarinpalClientOptions {
  /** API base, e.g. `https://payment.zarinpal.com/pg/v4/payment/`. */
  baseUrl: string;
  merchantId: string;
  /** Default: derived from `baseUrl` (`…/pg/v4/payment/` → `…/pg/StartPay/`). */
  startPayBaseUrl?: string;
  /** Per attempt; default 10 000. */
  timeoutMs?: number;
  /** Extra attempts after a network error or timeout, never after a response; default 2. */
  retries?: number;
  /** Pause before the first retry, doubled for each next one; default 200. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
  onExchange?: (exchange: ZarinpalExchange) => void | Promise<void>;
}

/** No usable answer: network error or timeout after all retries, a 5xx, or a body that is not Zarinpal's. */
export class ZarinpalUnavailable extends Error {
  constructor(
    readonly endpoint: ZarinpalEndpoint,
    readonly reason: "network" | "timeout" | "server_error" | "bad_response",
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Zarinpal ${endpoint} unavailable (${reason}): ${detail}`, options);
    this.name = "ZarinpalUnavailable";
  }
}

/** Creates a client; every method resolves to `{ok: true, …}` or `{ok: false, code, message}`. */
export function createZarinpalClient(options: ZarinpalClientOptions) {
  const base = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
  const startPayBase = options.startPayBaseUrl ?? base.replace(/\/pg\/v4\/payment\/$/, "/pg/StartPay/");
  if (startPayBase === base) {
    throw new Error("startPayBaseUrl is required when baseUrl does not end in /pg/v4/payment/");
  }
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const { merchantId, timeoutMs = 10_000, retries = 2, retryDelayMs = 200 } = options;
  const shortMerchant = `${merchantId.slice(0, 4)}…${merchantId.slice(-4)}`;

  const report = async (exchange: ZarinpalExchange) => {
    try {
      await options.onExchange?.(exchange);
    } catch (error) {
      console.error("zarinpal: onExchange failed", error);
    }
  };

  /** Posts with retries on network errors and timeouts only; returns the first response of any status. */
  async function post(endpoint: ZarinpalEndpoint, body: Record<string, unknown>) {
    const request = { ...body, merchant_id: shortMerchant };
    for (let attempt = 1;; attempt++) {
      const started = performance.now();
      let response: { status: number; body: unknown };
      try {
        const res = await doFetch(`${base}${endpoint}.json`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ merchant_id: merchantId, ...body }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        response = { status: res.status, body: parseJson(text) };
      } catch (error) {
        const reason = (error as Error).name === "TimeoutError" ? "timeout" : "network";
        const detail = `${reason}: ${(error as Error).message}`;
        await report({ endpoint, attempt, request, error: detail, durationMs: performance.now() - started });
        if (attempt > retries) throw new ZarinpalUnavailable(endpoint, reason, detail, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
        continue;
      }
      await report({ endpoint, attempt, request, response, durationMs: performance.now() - started });
      return response;
    }
  }

  /** Sends, then maps the envelope: an error object or a code other than 100 (or 101 for verify) is a failure. */
  async function call(endpoint: ZarinpalEndpoint, body: Record<string, unknown>, data: z.ZodType) {
    const response = await post(endpoint, body);
    const bad = (detail: string) => new ZarinpalUnavailable(endpoint, "bad_response", detail);
    if (response.status >= 500) {
      throw new ZarinpalUnavailable(endpoint, "server_error", `HTTP ${response.status}`);
    }
    const outer = envelope.safeParse(response.body);
    if (!outer.success) throw bad(`HTTP ${response.status} without a Zarinpal envelope`);
    const outcome = outcomeOf(outer.data);
    if (!outcome) throw bad(`HTTP ${response.status} without a code`);
    if (outcome.code !== 100 && !(outcome.code === 101 && endpoint === "verify")) {
      return { ok: false, ...outcome, httpStatus: response.status } satisfies ZarinpalFailure;
    }
    const parsed = data.safeParse(outer.data.data);
    if (!parsed.success) throw bad(`unexpected data for code ${outcome.code}: ${parsed.error.message}`);
    return { ok: true as const, code: outcome.code, ...(parsed.data as Record<string, unknown>) };
  }

  return {
    request: async (input: PaymentRequestInput) =>
      await call("request", {
        amount: wireAmount(input.amount),
        currency: "IRR",
        description: input.description,
        callback_url: input.callbackUrl,
        ...metadataOf(input.metadata),
      }, requestData) as RequestResult,
    verify: async (input: { amount: bigint | number; authority: string }) =>
      await call(
        "verify",
        { amount: wireAmount(input.amount), authority: input.authority },
        verifyData,
      ) as VerifyResult,
    unverified: async () => await call("unVerified", {}, unverifiedData) as UnverifiedResult,
    inquiry: async (authority: string) => await call("inquiry", { authority }, inquiryData) as InquiryResult,
    reverse: async (authority: string) => await call("reverse", { authority }, nothing) as ReverseResult,
    /** Where to send the buyer's browser for `authority`. */
    startPayUrl: (authority: string) => `${startPayBase}${encodeURIComponent(authority)}`,
  };
}

export type ZarinpalClient = ReturnType<typeof createZarinpalClient>;
