/** A withdrawal's status as a coloured badge. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { WithdrawalStatus } from "../../lib/wallet/withdrawals.ts";

const CLASS: Record<WithdrawalStatus, string> = {
  pending: "badge badge-warning",
  approved: "badge",
  rejected: "badge badge-danger",
  cancelled: "badge badge-muted",
};

export function WithdrawalBadge({ t, status }: { t: (key: MessageKey) => string; status: WithdrawalStatus }) {
  return (
    <span class={CLASS[status]} data-status={status}>
      {t(`wallet.withdrawals.status.${status}` as MessageKey)}
    </span>
  );
}
