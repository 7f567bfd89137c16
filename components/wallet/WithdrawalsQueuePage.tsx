/**
 * The staff withdrawal queue: filters (status, days, amount, customer), a CSV export of the filtered list,
 * bulk approve/reject of the ticked pending requests, and the requests as a list whose rows open a detail
 * page (components/wallet/WithdrawalDetailPage.tsx). A card list on a phone (DataTable).
 */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate, formatId, formatToman } from "../../lib/i18n/format.ts";
import { IbanWithBank } from "./BankName.tsx";
import type { DayRange } from "../../lib/i18n/day_range.ts";
import type { Withdrawal, WithdrawalPage } from "../../lib/wallet/withdrawals.ts";
import { WITHDRAWAL_STATUSES } from "../../lib/wallet/vocabulary.ts";
import { SelectField, TextField } from "../forms/Field.tsx";
import { FilterForm } from "../admin/FilterForm.tsx";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { Notice } from "../ui/Notice.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import { Breadcrumbs, type PageProps, type Translate } from "../admin/shell.tsx";
import { WithdrawalBadge } from "./WithdrawalBadge.tsx";

/** What a decision did: paid, rejected, or only the first of two approvals (four eyes). */
export type WithdrawalDecision = "approved" | "rejected" | "first_approval";

export interface WithdrawalsQueuePageProps extends PageProps {
  /** The filters as given (query parameters, empty ones left out); `status` is always there. */
  filters: Record<string, string>;
  /** Days typed that were no real day, and their errors. */
  days?: Pick<DayRange, "typed" | "errors">;
  page: WithdrawalPage;
  /** Requesters' and first approvers' emails by user id. */
  emails: Map<string, string>;
  cursor?: string;
  /** The decision just made (after the redirect). */
  notice?: { kind: WithdrawalDecision; id: string };
  /** Texts of a bulk decision's outcome, or a problem with the bulk form. */
  bulk?: { done?: string; refused?: string; problem?: string };
}

export const BULK_FORM = "withdrawals-bulk";

function StatusCell({ t, w, emails }: { t: Translate; w: Withdrawal; emails: Map<string, string> }) {
  return (
    <span>
      <WithdrawalBadge t={t} status={w.status} />
      {w.status === "pending" && w.firstApprovedBy && (
        <span class="hint first-approval">
          {" "}
          {t("admin.withdrawals.firstApprovedBy", {
            email: emails.get(w.firstApprovedBy) ?? w.firstApprovedBy,
          })}
        </span>
      )}
    </span>
  );
}

function BulkForm({ t, problem }: { t: Translate; problem?: string }) {
  return (
    <form id={BULK_FORM} method="post" action="/admin/withdrawals/bulk" class="card bulk-form">
      <fieldset class="bulk-actions">
        <legend>{t("admin.withdrawals.bulk.title")}</legend>
        <p class="hint">{t("admin.withdrawals.bulk.hint")}</p>
        <Notice kind="error" text={problem} />
        <TextField
          name="bank_reference"
          label={t("admin.withdrawals.bankReference")}
          dir="ltr"
          maxLength={100}
        />
        <button type="submit" name="action" value="approve" class="button-small">
          {t("admin.withdrawals.bulk.approve")}
        </button>
        <TextField name="reason" label={t("admin.withdrawals.rejectReason")} maxLength={500} />
        <button type="submit" name="action" value="reject" class="button-small button-danger">
          {t("admin.withdrawals.bulk.reject")}
        </button>
      </fieldset>
    </form>
  );
}

export function WithdrawalsQueuePage(
  { t, locale, filters, days, page, emails, cursor, notice, bulk }: WithdrawalsQueuePageProps,
) {
  const pending = page.withdrawals.some((w) => w.status === "pending");
  const columns: Column<Withdrawal>[] = [
    {
      header: <span class="visually-hidden">{t("admin.withdrawals.bulk.title")}</span>,
      cell: (w) =>
        w.status === "pending"
          ? (
            <input
              type="checkbox"
              name="id"
              value={w.id}
              form={BULK_FORM}
              aria-label={t("admin.withdrawals.select", { id: formatId(w.id, locale) })}
            />
          )
          : null,
    },
    {
      header: "#",
      cell: (w) => (
        <a href={`/admin/withdrawals/${w.id}`} class="withdrawal-link">
          {t("admin.withdrawals.open", { id: formatId(w.id, locale) })}
        </a>
      ),
    },
    { header: t("wallet.column.date"), cell: (w) => formatDate(w.createdAt, locale, { time: true }) },
    {
      header: t("admin.withdrawals.user"),
      cell: (w) =>
        w.userId ? <bdi dir="ltr" class="wrap-anywhere">{emails.get(w.userId) ?? w.userId}</bdi> : "—",
    },
    { header: t("wallet.column.amount"), numeric: true, cell: (w) => formatToman(w.amount, locale) },
    {
      header: t("wallet.withdrawals.column.iban"),
      cell: (w) => <IbanWithBank iban={w.iban} locale={locale} />,
    },
    {
      header: t("wallet.withdrawals.column.status"),
      cell: (w) => <StatusCell t={t} w={w} emails={emails} />,
    },
  ];
  return (
    <div class="stack admin-withdrawals-queue">
      <Breadcrumbs t={t} />
      <div class="page-head">
        <h1>{t("admin.withdrawals.title")}</h1>
        <a
          class="button button-ghost"
          href={`/admin/withdrawals/export.csv?${new URLSearchParams(filters)}`}
          download
        >
          {t("admin.withdrawals.export")}
        </a>
      </div>
      <p class="lead">{t("admin.withdrawals.lead")}</p>
      <Notice
        kind="success"
        text={notice &&
          t(`admin.withdrawals.notice.${notice.kind}` as MessageKey, {
            id: formatId(notice.id, locale),
          })}
      />
      <Notice kind="success" text={bulk?.done} />
      <Notice kind="warning" text={bulk?.refused} />
      <FilterForm
        t={t}
        locale={locale}
        action="/admin/withdrawals"
        label={t("admin.withdrawals.filters")}
        from={filters.from}
        to={filters.to}
        days={days}
        after={
          <>
            <TextField
              name="min"
              label={t("admin.withdrawals.minTomans")}
              value={filters.min}
              inputMode="numeric"
            />
            <TextField
              name="max"
              label={t("admin.withdrawals.maxTomans")}
              value={filters.max}
              inputMode="numeric"
            />
          </>
        }
      >
        <SelectField
          name="status"
          label={t("admin.withdrawals.filter")}
          value={filters.status}
          options={[
            ...WITHDRAWAL_STATUSES.map((s) => ({
              value: s,
              label: t(`wallet.withdrawals.status.${s}` as MessageKey),
            })),
            { value: "all", label: t("admin.withdrawals.anyStatus") },
          ]}
        />
        <TextField name="user" label={t("admin.withdrawals.userFilter")} value={filters.user} dir="auto" />
      </FilterForm>
      {(pending || bulk?.problem) && <BulkForm t={t} problem={bulk?.problem} />}
      <DataTable
        columns={columns}
        rows={page.withdrawals}
        caption={t("admin.withdrawals.title")}
        empty={t("admin.withdrawals.empty")}
        class="admin-withdrawals"
        rowAttributes={(w) => ({ "data-withdrawal": w.id })}
        pagination={
          <Pagination
            t={t}
            path="/admin/withdrawals"
            params={filters}
            cursor={cursor}
            next={page.nextCursor ?? undefined}
          />
        }
      />
    </div>
  );
}
