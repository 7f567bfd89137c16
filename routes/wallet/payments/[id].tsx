// routes/wallet/payments/[id].tsx — GET /wallet/payments/:id (where the gateway's callback lands: the outcome of
// one payment for its owner, with the reference number, masked card and the wallet balance)
import { z } from "zod";
import { formatId } from "../../../lib/i18n/format.ts";
import { int8Id } from "../../../lib/http/schemas.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { walletSummary } from "../../../lib/wallet/summary.ts";
import { findPayment } from "../../../lib/payments/store.ts";
import { paymentErrors } from "../../../lib/payments/errors.ts";
import { PaymentResultPage } from "../../../components/payments/PaymentsPage.tsx";
import { userRoutes } from "../../../lib/auth/guards.ts";

const params = z.object({ id: int8Id });

export const paymentResult = userRoutes().get("/:id", validate("param", params), async (c) => {
  const { id } = c.req.valid("param");
  const [payment, { balance }] = await c.var.asUser(async (tx) =>
    [await findPayment(tx, id), await walletSummary(tx)] as const
  );
  if (!payment) throw paymentErrors.refuse("payment_not_found");
  const { t, locale } = c.var;
  return renderPage(c, <PaymentResultPage t={t} locale={locale} payment={payment} balance={balance} />, {
    title: t("payments.result.title", { id: formatId(payment.id, locale) }),
  });
});
