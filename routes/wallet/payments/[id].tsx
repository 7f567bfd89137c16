// routes/payments/result.tsx — GET /wallet/payments/:id (where the gateway's callback lands: the outcome of
// one payment for its owner, with the reference number, masked card and the wallet balance)
import { z } from "zod";

import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formatDate, formatToman } from "../../../lib/i18n/format.ts";
import type { Locale } from "../../../lib/i18n/mod.ts";
import { walletSummary } from "../../../lib/wallet/summary.ts";
import { findPayment, type Payment } from "../../../lib/payments/store.ts";
import {
  displayStatus,
  failureText,
  referenceText,
  StatusBadge,
  type Translate,
} from "../../../components/payments/parts.tsx";
import { paymentErrors } from "../../../lib/payments/errors.ts";
import { userRoutes } from "../../../lib/auth/guards.ts";

const params = z.object({ id: z.string().regex(/^[1-9][0-9]{0,18}$/) });

function Outcome({ t, locale, payment }: { t: Translate; locale: Locale; payment: Payment }) {
  const amount = formatToman(payment.amount, locale);
  switch (displayStatus(payment)) {
    case "verified":
      return (
        <div class="alert alert-success" role="status">
          <h2>{t("payments.result.success.title")}</h2>
          <p>{t("payments.result.success.body", { amount })}</p>
        </div>
      );
    case "cancelled":
      return (
        <div class="alert alert-info" role="status">
          <h2>{t("payments.result.cancelled.title")}</h2>
          <p>{t("payments.result.cancelled.body")}</p>
        </div>
      );
    case "failed":
      return (
        <div class="alert alert-error" role="alert">
          <h2>{t("payments.result.failed.title")}</h2>
          <p>{t("payments.result.failed.body", { reason: failureText(t, payment) })}</p>
        </div>
      );
    case "expired":
      return (
        <div class="alert alert-info" role="status">
          <h2>{t("payments.result.expired.title")}</h2>
          <p>{t("payments.result.expired.body")}</p>
        </div>
      );
    case "refunded":
      return (
        <div class="alert alert-info" role="status">
          <h2>{t("payments.result.refunded.title")}</h2>
          <p>{t("payments.result.refunded.body", { amount })}</p>
        </div>
      );
    case "review":
      return (
        <div class="alert alert-warning" role="status">
          <h2>{t("payments.result.pending.title")}</h2>
          <p>{t("payments.result.review.body")}</p>
        </div>
      );
    default:
      return (
        <div class="alert alert-warning" role="status">
          <h2>{t("payments.result.pending.title")}</h2>
          <p>{t("payments.result.pending.body")}</p>
        </div>
      );
  }
}

export const paymentResult = userRoutes().get(
  "/:id",
  validate("param", params),
  async (c) => {
    const { id } = c.req.valid("param");
    const [payment, balance] = await c.var.asUser(async (tx) =>
      [
        await findPayment(tx, id),
        (await walletSummary(tx)).balance,
      ] as const
    );
    if (!payment) throw paymentErrors.refuse("payment_not_found");
    const t = c.var.t;
    const locale = c.var.locale;
    return renderPage(
      c,
      <section class="card narrow stack" data-payment-status={displayStatus(payment)}>
        <h1>{t("payments.result.title", { id: referenceText(payment.id, locale) })}</h1>
        <Outcome t={t} locale={locale} payment={payment} />
        <dl class="facts">
          <dt>{t("payments.field.amount")}</dt>
          <dd>{formatToman(payment.amount, locale)}</dd>
          <dt>{t("payments.field.status")}</dt>
          <dd>
            <StatusBadge t={t} payment={payment} />
          </dd>
          {payment.refId && (
            <>
              <dt>{t("payments.field.reference")}</dt>
              <dd class="ltr-inline" id="payment-reference">{referenceText(payment.refId, locale)}</dd>
            </>
          )}
          {payment.cardPan && (
            <>
              <dt>{t("payments.field.card")}</dt>
              <dd class="ltr-inline">{payment.cardPan}</dd>
            </>
          )}
          <dt>{t("payments.field.date")}</dt>
          <dd>{formatDate(payment.createdAt, locale, { time: true })}</dd>
          <dt>{t("payments.field.balance")}</dt>
          <dd id="wallet-balance">{formatToman(balance, locale)}</dd>
        </dl>
        <p class="actions">
          <a class="button" href="/wallet">{t("payments.action.wallet")}</a>
          {payment.status === "pending"
            ? (
              <a class="button button-ghost" href={`/wallet/payments/${payment.id}`}>
                {t("payments.action.checkAgain")}
              </a>
            )
            : <a class="button button-ghost" href="/wallet/topup">{t("payments.action.topupAgain")}</a>}
          <a href="/wallet/payments">{t("payments.action.history")}</a>
        </p>
      </section>,
      { title: t("payments.result.title", { id: payment.id }) },
    );
  },
);
