/**
 * A customer's wallet for staff helping them (`wallet.view_summary`): balances, recent payments and recent
 * withdrawals, read-only. IBANs and cards arrive masked; opening the page is audited (lib/wallet/customer_view.ts).
 */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate, formatId, formatToman } from "../../lib/i18n/format.ts";
import type { CustomerWalletView } from "../../lib/wallet/customer_view.ts";
import type { WithdrawalStatus } from "../../lib/wallet/withdrawals.ts";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { Notice } from "../ui/Notice.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { WithdrawalBadge } from "./WithdrawalBadge.tsx";

export interface CustomerWalletPageProps extends PageProps {
  user: { id: string; email: string; fullName: string };
  view: CustomerWalletView;
  /** The ticket the page was opened from, to go back to it. */
  ticketId?: string;
}

type Payment = CustomerWalletView["payments"][number];
type Withdrawal = CustomerWalletView["withdrawals"][number];

export function CustomerWalletPage({ t, locale, user, view, ticketId }: CustomerWalletPageProps) {
  const id = (value: string) => formatId(value, locale);
  const payments: Column<Payment>[] = [
    { header: "#", cell: (p) => id(p.id) },
    { header: t("payments.field.date"), cell: (p) => formatDate(p.createdAt, locale, { time: true }) },
    { header: t("payments.field.amount"), numeric: true, cell: (p) => formatToman(p.amount, locale) },
    {
      header: t("payments.field.status"),
      cell: (p) => <span class="badge badge-muted">{t(`payments.status.${p.status}` as MessageKey)}</span>,
    },
    {
      header: t("payments.field.reference"),
      cell: (p) => p.refId ? <bdi dir="ltr" class="ltr-inline">{p.refId}</bdi> : "—",
    },
    {
      header: t("payments.field.card"),
      cell: (p) => p.card ? <LastFour t={t} digits={p.card} /> : "—",
    },
  ];
  const withdrawals: Column<Withdrawal>[] = [
    { header: "#", cell: (w) => id(w.id) },
    { header: t("wallet.column.date"), cell: (w) => formatDate(w.createdAt, locale, { time: true }) },
    { header: t("wallet.column.amount"), numeric: true, cell: (w) => formatToman(w.amount, locale) },
    {
      header: t("wallet.withdrawals.column.status"),
      cell: (w) => <WithdrawalBadge t={t} status={w.status as WithdrawalStatus} />,
    },
    {
      header: t("wallet.withdrawals.column.iban"),
      cell: (w) => <LastFour t={t} digits={w.ibanLast4} />,
    },
  ];
  return (
    <div class="stack customer-wallet" data-user={user.id}>
      <Breadcrumbs t={t}>
        <a href={`/admin/users/${user.id}`}>
          <bdi dir="ltr" class="wrap-anywhere">{user.email}</bdi>
        </a>
      </Breadcrumbs>
      <h1>{t("admin.customerWallet.title", { name: user.fullName || user.email })}</h1>
      <Notice kind="info" text={t("admin.customerWallet.lead")} />
      {ticketId && (
        <p>
          <a href={`/admin/tickets/${ticketId}`}>{t("admin.customerWallet.backToTicket")}</a>
        </p>
      )}
      <ul class="stats wallet-stats">
        <li class="card stat">
          <span class="label">{t("wallet.balance")}</span>
          <span class="value" data-value="balance">{formatToman(view.balance, locale)}</span>
        </li>
        <li class="card stat">
          <span class="label">{t("wallet.held")}</span>
          <span class="value">{formatToman(view.held, locale)}</span>
        </li>
        <li class="card stat stat-primary">
          <span class="label">{t("wallet.available")}</span>
          <span class="value">{formatToman(view.available, locale)}</span>
        </li>
      </ul>
      <section class="card stack" aria-labelledby="recent-payments">
        <h2 id="recent-payments">{t("admin.customerWallet.payments")}</h2>
        <DataTable
          columns={payments}
          rows={view.payments}
          label={t("admin.customerWallet.payments")}
          empty={t("admin.customerWallet.noPayments")}
          rowAttributes={(p) => ({ "data-payment-id": p.id })}
        />
      </section>
      <section class="card stack" aria-labelledby="recent-withdrawals">
        <h2 id="recent-withdrawals">{t("admin.customerWallet.withdrawals")}</h2>
        <DataTable
          columns={withdrawals}
          rows={view.withdrawals}
          label={t("admin.customerWallet.withdrawals")}
          empty={t("admin.customerWallet.noWithdrawals")}
          rowAttributes={(w) => ({ "data-withdrawal": w.id })}
        />
      </section>
    </div>
  );
}

/** The end of a masked card or IBAN: machine text, in Latin digits and a left-to-right isolate. */
function LastFour({ t, digits }: { t: CustomerWalletPageProps["t"]; digits: string }) {
  return (
    <span>
      {t("admin.customerWallet.lastFour")} <bdi dir="ltr" class="ltr-inline">{digits}</bdi>
    </span>
  );
}
