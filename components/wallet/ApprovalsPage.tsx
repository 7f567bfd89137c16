/** Staff money actions waiting for a second staff member: adjustment requests (withdrawals wait in their queue). */
import type { AdjustmentRequest } from "../../lib/wallet/approvals.ts";
import { Notice } from "../ui/Notice.tsx";
import type { I18n } from "../ui/types.ts";
import { Breadcrumbs } from "../admin/shell.tsx";
import { AdjustmentRequests } from "./StaffWalletPage.tsx";

export type ApprovalNotice = "approved" | "rejected";

export function ApprovalsPage(
  { t, locale, requests, viewerId, canDecide, notice, problem }: I18n & {
    requests: AdjustmentRequest[];
    viewerId: string;
    canDecide: boolean;
    notice?: ApprovalNotice;
    problem?: string;
  },
) {
  return (
    <div class="stack">
      <Breadcrumbs t={t} />
      <h1>{t("admin.approvals.title")}</h1>
      <p class="lead">{t("admin.approvals.lead")}</p>
      <Notice kind="success" text={notice && t(`admin.wallets.notice.${notice}`)} />
      <Notice kind="error" text={problem} />
      <section class="card stack" aria-labelledby="requests-title">
        <h2 id="requests-title">{t("admin.approvals.adjustments")}</h2>
        <AdjustmentRequests
          t={t}
          locale={locale}
          requests={requests}
          viewerId={viewerId}
          canDecide={canDecide}
        />
      </section>
      <p>
        <a href="/admin/withdrawals?status=pending">{t("admin.approvals.withdrawals")}</a>
      </p>
    </div>
  );
}
