/** The ledger's health for staff: broken invariants (or "all fine") and the system accounts' balances. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { LedgerHealth } from "../../lib/wallet/health.ts";
import type { SystemAccount } from "../../lib/wallet/system_accounts.ts";
import type { InvariantProblem } from "../../lib/wallet/invariants.ts";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { SignedAmount } from "./SignedAmount.tsx";

const SYSTEM_ACCOUNT_NAMES = ["gateway_clearing", "revenue", "payouts", "adjustments", "fees"];

export function LedgerHealthPage(
  { t, locale, health: { problems, accounts }, checkedAt }: PageProps & {
    health: LedgerHealth;
    checkedAt: Date;
  },
) {
  // The five built-in system accounts have translated names; any other (e.g. merchants) shows its own.
  const accountName = (a: SystemAccount) =>
    SYSTEM_ACCOUNT_NAMES.includes(a.code) ? t(`ledger.account.${a.code}` as MessageKey) : a.name;
  const problemColumns: Column<InvariantProblem>[] = [
    { header: t("admin.ledger.problem"), cell: (p) => p.problem },
    { header: t("admin.ledger.subject"), cell: (p) => p.subject },
    { header: t("admin.ledger.detail"), cell: (p) => <code dir="ltr">{JSON.stringify(p.detail)}</code> },
  ];
  const accountColumns: Column<SystemAccount>[] = [
    { header: t("admin.ledger.account"), cell: (a) => <code dir="ltr">{a.code}</code> },
    { header: t("wallet.column.description"), cell: accountName },
    {
      header: t("wallet.balance"),
      numeric: true,
      cell: (a) => <SignedAmount rials={a.balance} locale={locale} />,
    },
  ];
  return (
    <div class="stack">
      <Breadcrumbs t={t} />
      <h1>{t("admin.ledger.title")}</h1>
      <p class="lead">{t("admin.ledger.lead")}</p>
      <p class="muted">
        {t("admin.ledger.checkedAt", { time: formatDate(checkedAt, locale, { time: true }) })}
      </p>
      {problems.length === 0
        ? <p class="alert alert-success" role="status" data-problems="0">{t("admin.ledger.ok")}</p>
        : (
          <div class="alert alert-error" role="alert" data-problems={String(problems.length)}>
            <p>{t("admin.ledger.problems", { count: problems.length })}</p>
            <DataTable columns={problemColumns} rows={problems} empty="" />
          </div>
        )}
      <section class="card stack" aria-labelledby="system-title">
        <h2 id="system-title">{t("admin.ledger.systemAccounts")}</h2>
        <DataTable
          columns={accountColumns}
          rows={accounts}
          empty="—"
          rowAttributes={(a) => ({ "data-account": a.code })}
        />
      </section>
    </div>
  );
}
