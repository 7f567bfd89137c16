// routes/payments/topup.tsx — GET /wallet/topup (amount form: presets and a custom amount in tomans),
// POST /wallet/topup (starts the payment, then 303 to Zarinpal's StartPay page)
import { z } from "zod";
import type { AppContext } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { formatToman } from "../../lib/i18n/format.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { config } from "../../lib/config.ts";
import { paymentsContext } from "../../lib/payments/context.ts";
import { initiatePayment } from "../../lib/payments/initiate.ts";
import { paymentErrors } from "../../lib/payments/errors.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { formValidator } from "../../components/forms/validator.ts";
import { FieldError } from "../../components/forms/Field.tsx";
import { gatewayReason } from "../../components/payments/parts.tsx";
import { userRoutes } from "../../lib/auth/guards.ts";

/** Preset amounts in tomans. */
const PRESETS = [50_000n, 100_000n, 200_000n, 500_000n];

/** Persian and Arabic-Indic digits to ASCII; group separators dropped. */
function asciiDigits(text: string): string {
  return text.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\s,٬،_]/g, "");
}

const form = z.object({
  tomans: z.string().transform(asciiDigits).pipe(
    z.string().regex(/^[0-9]{1,12}$/, "form.error.amountTomans").transform((v) => BigInt(v) * 10n)
      .refine(
        (rials) => rials >= config().PAYMENT_MIN_RIAL && rials <= config().PAYMENT_MAX_RIAL,
        "form.error.amountRange",
      ),
  ),
});

interface FormState {
  value?: string;
  error?: MessageKey;
  problem?: string;
}

async function render(c: AppContext, state: FormState = {}, status: 200 | 400 | 429 | 503 = 200) {
  const t = c.var.t;
  const locale = c.var.locale;
  const { balance } = await c.var.asUser((tx) => walletSummary(tx));
  const limits = {
    min: formatToman(BigInt(config().PAYMENT_MIN_RIAL), locale),
    max: formatToman(BigInt(config().PAYMENT_MAX_RIAL), locale),
  };
  const page = renderPage(
    c,
    <section class="card narrow stack">
      <h1>{t("payments.topup.title")}</h1>
      <p class="muted">{t("payments.topup.balance", { amount: formatToman(balance, locale) })}</p>
      <p>{t("payments.topup.lead")}</p>
      {state.problem && <p class="alert alert-error" role="alert">{state.problem}</p>}
      <form method="post" action="/wallet/topup" aria-labelledby="presets-title">
        <h2 id="presets-title">{t("payments.topup.presets")}</h2>
        <p class="actions">
          {PRESETS.map((tomans) => (
            <button type="submit" name="tomans" value={String(tomans)} class="button button-ghost">
              {formatToman(tomans * 10n, locale)}
            </button>
          ))}
        </p>
      </form>
      <form method="post" action="/wallet/topup" aria-labelledby="custom-title">
        <h2 id="custom-title">{t("payments.topup.custom")}</h2>
        <div class="field">
          <label for="topup-tomans">{t("payments.topup.amountLabel")}</label>
          <p class="hint" id="topup-tomans-hint">{t("payments.topup.limits", limits)}</p>
          <input
            id="topup-tomans"
            name="tomans"
            inputMode="numeric"
            autoComplete="off"
            dir="ltr"
            maxLength={20}
            required
            value={state.value ?? ""}
            aria-invalid={state.error ? "true" : undefined}
            aria-describedby={`topup-tomans-hint${state.error ? " topup-tomans-error" : ""}`}
            autoFocus={!!state.error}
          />
          <FieldError id="topup-tomans" text={state.error && t(state.error, limits)} />
        </div>
        <div class="form-actions">
          <button type="submit" class="button">{t("payments.topup.submit")}</button>
          <a href="/wallet/payments">{t("payments.action.history")}</a>
        </div>
        <p class="hint">{t("payments.topup.redirectNote")}</p>
      </form>
    </section>,
    { title: t("payments.topup.title"), status: status === 503 ? 200 : status },
  );
  return status === 503 ? new Response(page.body, { status, headers: page.headers }) : page;
}

export const topup = userRoutes()
  .get("/", (c) => render(c))
  .post(
    "/",
    formValidator(
      form,
      (c, errors, values) => render(c, { value: values.tomans, error: errors.tomans }, 400),
    ),
    async (c) => {
      const rials = c.req.valid("form").tomans;
      const t = c.var.t;
      try {
        const result = await initiatePayment(await paymentsContext(), c.var.user(), {
          amount: rials,
          email: c.var.user().email,
        });
        if (result.ok) return c.redirect(result.redirectUrl, 303);
        return result.reason === "gateway_unavailable"
          ? await render(c, { problem: t("payments.error.gateway_unavailable") }, 503)
          : await render(c, {
            problem: t("payments.error.gateway_refused", { reason: gatewayReason(t, result.code ?? null) }),
          }, 503);
      } catch (error) {
        if (paymentErrors.is(error) && error.status === 429) {
          return await render(c, { problem: t("payments.error.too_many_pending") }, 429);
        }
        throw error;
      }
    },
  );
