/** A payment's staff page: facts, the verify and refund actions, refunds, the whole gateway exchange. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatId } from "../../lib/i18n/format.ts";
import type { StaffPaymentDetail } from "../../lib/payments/queries.ts";
import { Notice } from "../ui/Notice.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { PaymentActions, PaymentEvents, PaymentFacts, PaymentRefunds } from "./PaymentDetail.tsx";

export interface StaffPaymentPageProps extends PageProps {
  id: string;
  detail: StaffPaymentDetail;
  notice?: string;
  error?: string;
  canRefund: boolean;
  /** How long after settling a payment may still be reversed at the gateway. */
  windowSeconds: number;
}

export function StaffPaymentPage(
  { t, locale, id, detail: { payment, refunds, events }, notice, error, canRefund, windowSeconds }:
    StaffPaymentPageProps,
) {
  return (
    <>
      <Breadcrumbs t={t}>
        <a href="/admin/payments">{t("admin.payments.title")}</a>
      </Breadcrumbs>
      <h1>{t("payments.result.title", { id: formatId(id, locale) })}</h1>
      <Notice kind="success" text={notice && t(`admin.payments.notice.${notice}` as MessageKey)} />
      <Notice kind="error" text={error && t(`payments.error.${error}` as MessageKey)} />
      <PaymentFacts t={t} locale={locale} payment={payment} />
      <PaymentActions
        t={t}
        locale={locale}
        payment={payment}
        canRefund={canRefund}
        windowSeconds={windowSeconds}
      />
      <PaymentRefunds t={t} locale={locale} refunds={refunds} />
      <PaymentEvents t={t} locale={locale} events={events} />
    </>
  );
}
