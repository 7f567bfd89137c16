// routes/wallet/payments/index.tsx — GET /wallet/payments (every top-up attempt of the signed-in user, newest first)
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { listMyPayments } from "../../../lib/payments/queries.ts";
import { PaymentHistoryPage } from "../../../components/payments/PaymentsPage.tsx";
import { userRoutes } from "../../../lib/auth/guards.ts";

const query = z.object({ after: text().max(200).optional() });

export const paymentHistory = userRoutes().get("/", validate("query", query), async (c) => {
  const { after } = c.req.valid("query");
  const page = await c.var.asUser((tx) => listMyPayments(tx, { cursor: after }));
  const { t, locale } = c.var;
  return renderPage(
    c,
    <PaymentHistoryPage t={t} locale={locale} payments={page.items} cursor={after} next={page.next} />,
    { title: t("payments.history.title") },
  );
});
