/** Starting a top-up: a pending payment, Zarinpal's `request`, and the StartPay URL to send the browser to. */
import { asUserAtOnce, type Claims } from "../db/client.ts";
import type { PaymentsContext, PaymentSettings } from "./context.ts";
import { paymentErrors } from "./errors.ts";
import { signPaymentId } from "./signature.ts";
import { attachAuthorityStatement, closeStatement, createPendingStatement } from "./store.ts";
import { type ZarinpalExchange, ZarinpalUnavailable } from "./zarinpal.ts";
import type { Locale } from "../i18n/mod.ts";

/** What the payer reads at Zarinpal (and the payment keeps), in the payer's language. */
export const TOPUP_DESCRIPTIONS: Record<Locale, string> = {
  fa: "افزایش موجودی کیف پول پیشخوان",
  en: "Pishkhan wallet top-up",
};

export type InitiateResult =
  | { ok: true; paymentId: string; authority: string; redirectUrl: string }
  | { ok: false; paymentId: string; reason: "gateway_refused" | "gateway_unavailable"; code?: number };

/** Refuses amounts outside the configured limits (rials). */
export function checkAmount(settings: PaymentSettings, amount: bigint): void {
  if (amount < settings.minRial || amount > settings.maxRial) {
    throw paymentErrors.refuse(
      "amount_out_of_range",
      {},
      `The amount must be between ${settings.minRial} and ${settings.maxRial} rials.`,
    );
  }
}

/** The URL the gateway sends the browser back to: payment id plus its HMAC, so it cannot be re-aimed. */
export function callbackUrl(settings: PaymentSettings, paymentId: string): string {
  const signature = signPaymentId(settings.callbackSecret, paymentId);
  return `${settings.verifyUrl}?payment=${paymentId}&sig=${signature}`;
}

/**
 * Opens a pending payment as the signed-in user (`claims` from a verified JWT) and asks Zarinpal for an
 * authority. A refusal or an unreachable gateway fails the payment at once (no authority: nothing to pay).
 */
export async function initiatePayment(
  ctx: PaymentsContext,
  claims: Claims,
  input: { amount: bigint; email?: string; locale?: Locale },
): Promise<InitiateResult> {
  checkAmount(ctx.settings, input.amount);
  const description = TOPUP_DESCRIPTIONS[input.locale ?? "fa"];
  // One round trip: BEGIN, the claims, create_pending and COMMIT together.
  const opening = createPendingStatement({
    amount: input.amount,
    description,
    merchantKey: ctx.settings.merchantKey,
    ttlSeconds: ctx.settings.authorityTtlSeconds,
  });
  const paymentId = await paymentErrors.mapping(async () => {
    const [rows] = await asUserAtOnce(claims, [opening.compile(ctx.db)], ctx.db);
    return opening.read(rows);
  });
  // The request's answer is stored with what it leads to (the authority, or the failure): one transaction.
  const answered: ZarinpalExchange[] = [];
  const gateway = ctx.gateway(paymentId, answered);
  const fail = (reason: "gateway_refused" | "gateway_unavailable", code?: number, message?: string) =>
    ctx.inStep(paymentId, answered, closeStatement(paymentId, "failed", { reason, code, message }));
  try {
    const answer = await gateway.request({
      amount: input.amount,
      description,
      callbackUrl: callbackUrl(ctx.settings, paymentId),
      metadata: { orderId: paymentId, ...(input.email ? { email: input.email } : {}) },
    });
    if (!answer.ok) {
      await fail("gateway_refused", answer.code, answer.message);
      return { ok: false, paymentId, reason: "gateway_refused", code: answer.code };
    }
    await ctx.inStep(paymentId, answered, attachAuthorityStatement(paymentId, answer));
    return {
      ok: true,
      paymentId,
      authority: answer.authority,
      redirectUrl: gateway.startPayUrl(answer.authority),
    };
  } catch (error) {
    if (!(error instanceof ZarinpalUnavailable)) {
      await ctx.inStep(paymentId, answered);
      throw error;
    }
    await fail("gateway_unavailable", undefined, error.message);
    return { ok: false, paymentId, reason: "gateway_unavailable" };
  }
}
