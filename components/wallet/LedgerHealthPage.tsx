/** The ledger's health for staff: broken invariants (or "all fine") and the system accounts' balances. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { LedgerHealth } from "../../lib/wallet/health.ts";
import type { SystemAccount } from "../../lib/wallet/system_accounts.ts";
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
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t("admin.ledger.problem")}</th>
                    <th scope="col">{t("admin.ledger.subject")}</th>
                    <th scope="col">{t("admin.ledger.detail")}</th>
                  </tr>
                </thead>
                <tbody>
                  {problems.map((p) => (
                    <tr>
                      <td>{p.problem}</td>
                      <td>{p.subject}</td>
                      <td>
                        <code dir="ltr">{JSON.stringify(p.detail)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      <section class="card stack" aria-labelledby="system-title">
        <h2 id="system-title">{t("admin.ledger.systemAccounts")}</h2>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t("admin.ledger.account")}</th>
                <th scope="col">{t("wallet.column.description")}</th>
                <th scope="col" class="num">{t("wallet.balance")}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr data-account={a.code}>
                  <td>
                    <code dir="ltr">{a.code}</code>
                  </td>
                  <td>{accountName(a)}</td>
                  <td class="num">
                    <SignedAmount rials={a.balance} locale={locale} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
