/** The payer's pages: every top-up attempt (newest first) and the outcome of one payment. */
import type { ComponentChildren } from "preact";
import { formatDate, formatToman } from "../../lib/i18n/format.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { Payment } from "../../lib/payments/store.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { Notice, type NoticeKind } from "../ui/Notice.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import type { I18n } from "../ui/types.ts";
import { displayStatus, failureText, referenceText, StatusBadge } from "./parts.tsx";

export interface PaymentHistoryPageProps extends I18n {
  payments: Payment[];
  cursor?: string;
  next?: string | null;
}

export function PaymentHistoryPage({ t, locale, payments, cursor, next }: PaymentHistoryPageProps) {
  return (
    <>
      <div class="page-head">
        <h1>{t("payments.history.title")}</h1>
        <p class="actions">
          <a class="button" href="/wallet/topup">{t("payments.topup.title")}</a>
          <a class="button button-ghost" href="/wallet">{t("payments.action.wallet")}</a>
        </p>
      </div>
      <DataTable
        caption={t("payments.history.title")}
        rows={payments}
        empty={t("payments.history.empty")}
        rowAttributes={(p) => ({ "data-payment-id": p.id })}
        columns={[
          {
            header: t("payments.field.date"),
            cell: (p) => (
              <a href={`/wallet/payments/${p.id}`}>{formatDate(p.createdAt, locale, { time: true })}</a>
            ),
          },
          { header: t("payments.field.amount"), numeric: true, cell: (p) => formatToman(p.amount, locale) },
          { header: t("payments.field.status"), cell: (p) => <StatusBadge t={t} payment={p} /> },
          {
            header: t("payments.field.reference"),
            class: "ltr-inline",
            cell: (p) => p.refId ? referenceText(p.refId, locale) : "—",
          },
        ]}
        pagination={
          <Pagination t={t} path="/wallet/payments" cursorParam="after" cursor={cursor} next={next} />
        }
      />
    </>
  );
}

/** Title and body key of each outcome, and how it is announced. */
const OUTCOME: Record<ReturnType<typeof displayStatus>, [MessageKey, MessageKey, NoticeKind]> = {
  verified: ["payments.result.success.title", "payments.result.success.body", "success"],
  cancelled: ["payments.result.cancelled.title", "payments.result.cancelled.body", "info"],
  failed: ["payments.result.failed.title", "payments.result.failed.body", "error"],
  expired: ["payments.result.expired.title", "payments.result.expired.body", "info"],
  refunded: ["payments.result.refunded.title", "payments.result.refunded.body", "info"],
  review: ["payments.result.pending.title", "payments.result.review.body", "warning"],
  pending: ["payments.result.pending.title", "payments.result.pending.body", "warning"],
};

function Outcome({ t, locale, payment }: I18n & { payment: Payment }) {
  const [title, body, kind] = OUTCOME[displayStatus(payment)];
  const params = {
    amount: formatToman(payment.amount, locale),
    reason: failureText(t, payment),
    // Pending: reconciliation checks it every minute until the gateway's authority expires, then expires it.
    until: formatDate(payment.expiresAt, locale, { time: true }),
  };
  return (
    <Notice kind={kind}>
      <h2>{t(title)}</h2>
      <p>{t(body, params)}</p>
    </Notice>
  );
}

function Fact(
  { term, children, id, ltr }: { term: string; children: ComponentChildren; id?: string; ltr?: boolean },
) {
  return (
    <>
      <dt>{term}</dt>
      <dd id={id} class={ltr ? "ltr-inline" : undefined}>{children}</dd>
    </>
  );
}

export interface PaymentResultPageProps extends I18n {
  payment: Payment;
  /** The wallet balance now, in rials. */
  balance: bigint;
}

export function PaymentResultPage({ t, locale, payment, balance }: PaymentResultPageProps) {
  return (
    <section class="card narrow stack" data-payment-status={displayStatus(payment)}>
      <h1>{t("payments.result.title", { id: referenceText(payment.id, locale) })}</h1>
      <Outcome t={t} locale={locale} payment={payment} />
      <dl class="facts">
        <Fact term={t("payments.field.amount")}>{formatToman(payment.amount, locale)}</Fact>
        <Fact term={t("payments.field.status")}>
          <StatusBadge t={t} payment={payment} />
        </Fact>
        {payment.refId && (
          <Fact term={t("payments.field.reference")} id="payment-reference" ltr>
            {referenceText(payment.refId, locale)}
          </Fact>
        )}
        {payment.cardPan && <Fact term={t("payments.field.card")} ltr>{payment.cardPan}</Fact>}
        <Fact term={t("payments.field.date")}>{formatDate(payment.createdAt, locale, { time: true })}</Fact>
        <Fact term={t("payments.field.balance")} id="wallet-balance">{formatToman(balance, locale)}</Fact>
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
    </section>
  );
}
