// routes/wallet/receipts/[id].tsx — GET /wallet/receipts/:id (one transaction's receipt, for the wallet's owner;
// another user's transaction is a 404, like one that does not exist)
import { z } from "zod";
import { int8Id } from "../../../lib/http/schemas.ts";
import type { AppContext } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { findEntry } from "../../../lib/wallet/entries.ts";
import { loadCounterparties } from "../../../lib/wallet/counterparties.ts";
import { walletErrors } from "../../../lib/wallet/errors.ts";
import { transactionReference } from "../../../lib/wallet/vocabulary.ts";
import { findPaymentByTransaction } from "../../../lib/payments/store.ts";
import { ReceiptPage, type ReceiptPageProps } from "../../../components/wallet/ReceiptPage.tsx";
import { userRoutes } from "../../../lib/auth/guards.ts";

export const receiptParams = z.object({ id: int8Id });

/**
 * The receipt of `transactionId` in `owner`'s wallet, read as the signed-in user (RLS: the owner, or staff
 * with wallet.view); nothing readable is transaction_not_found (404).
 */
export async function showReceipt(
  c: AppContext,
  owner: string,
  transactionId: string,
  links: Pick<ReceiptPageProps, "back"> & { payment?: (paymentId: string) => string },
) {
  const { entry, payment } = await c.var.asUser(async (tx) => {
    const entry = await findEntry(tx, transactionId, owner);
    const payment = entry?.kind === "topup" ? await findPaymentByTransaction(tx, transactionId) : undefined;
    return { entry, payment };
  });
  if (!entry) throw walletErrors.refuse("transaction_not_found");
  const counterparty = (await loadCounterparties(owner, [entry])).get(transactionId);
  const { t, locale } = c.var;
  return renderPage(
    c,
    <ReceiptPage
      t={t}
      locale={locale}
      entry={entry}
      counterparty={counterparty}
      payment={payment}
      back={links.back}
      paymentHref={payment && links.payment?.(payment.id)}
    />,
    { title: `${t("wallet.receipt.title")} ${transactionReference(transactionId)}` },
  );
}

export const walletReceipt = userRoutes().get(
  "/:id",
  validate("param", receiptParams),
  (c) =>
    showReceipt(c, c.var.user().sub, c.req.valid("param").id, {
      back: { href: "/wallet", label: c.var.t("wallet.backToWallet") },
      payment: (id) => `/wallet/payments/${id}`,
    }),
);
