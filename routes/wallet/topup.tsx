// routes/wallet/topup.tsx — GET /wallet/topup (amount form: presets and a custom amount in tomans),
// GET /wallet/topup?tomans=… (a preset filled in), POST /wallet/topup (starts the payment, then 303 to
// Zarinpal's StartPay page)
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import type { AppContext } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { config } from "../../lib/config.ts";
import { paymentsContext } from "../../lib/payments/context.ts";
import { initiatePayment } from "../../lib/payments/initiate.ts";
import { paymentErrors } from "../../lib/payments/errors.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import { validate } from "../../lib/http/validate.ts";
import { optionalField } from "../../lib/http/form_fields.ts";
import { gatewayReason } from "../../components/payments/parts.tsx";
import { TopupPage, type TopupPageProps } from "../../components/payments/TopupPage.tsx";
import { asciiDigits } from "../../components/wallet/tomans.ts";
import { requireLiveSession, userRoutes } from "../../lib/auth/guards.ts";

/** Preset amounts in tomans. */
const PRESETS = [50_000n, 100_000n, 200_000n, 500_000n];

const form = z.object({
  tomans: text().optional().transform((v) => asciiDigits(v ?? "")).pipe(
    text().min(1, "form.error.amountRequired").regex(/^[0-9]{1,12}$/, "form.error.amountTomans")
      .transform((v) => BigInt(v) * 10n)
      .refine(
        (rials) => rials >= config().PAYMENT_MIN_RIAL && rials <= config().PAYMENT_MAX_RIAL,
        "form.error.amountRange",
      ),
  ),
});

type State = Pick<TopupPageProps, "value" | "error" | "problem">;

/** The form with the balance; a 503 (gateway down or refusing) still shows the form, to try again. */
async function page(c: AppContext, state: State = {}, status: 200 | 400 | 429 | 503 = 200) {
  const { balance } = await c.var.asUser((tx) => walletSummary(tx));
  const limits = { min: BigInt(config().PAYMENT_MIN_RIAL), max: BigInt(config().PAYMENT_MAX_RIAL) };
  const { t, locale } = c.var;
  const html = await renderPage(
    c,
    <TopupPage t={t} locale={locale} balance={balance} presets={PRESETS} limits={limits} {...state} />,
    { title: t("payments.topup.title"), status: status === 503 ? 200 : status },
  );
  return status === 503 ? new Response(html.body, { status, headers: html.headers }) : html;
}

/** A preset link (?tomans=…) fills the amount field; the person still presses "pay". */
const prefill = z.object({ tomans: optionalField(text().max(20)) });

export const topup = userRoutes()
  .get("/", validate("query", prefill), (c) => page(c, { value: c.req.valid("query").tomans }))
  .post(
    "/",
    requireLiveSession, // a payment starts for this user: the session must still be known to Auth
    formValidator(form, (c, errors, values) => page(c, { value: values.tomans, error: errors.tomans }, 400)),
    async (c) => {
      const t = c.var.t;
      try {
        const result = await initiatePayment(await paymentsContext(), c.var.user(), {
          amount: c.req.valid("form").tomans,
          email: c.var.user().email,
          locale: c.var.locale,
        });
        if (result.ok) return c.redirect(result.redirectUrl, 303);
        const problem = result.reason === "gateway_unavailable"
          ? t("payments.error.gateway_unavailable")
          : t("payments.error.gateway_refused", { reason: gatewayReason(t, result.code ?? null) });
        return await page(c, { problem }, 503);
      } catch (error) {
        if (paymentErrors.is(error) && error.status === 429) {
          return await page(c, { problem: t("payments.error.too_many_pending") }, 429);
        }
        throw error;
      }
    },
  );
