// routes/admin/withdrawals/[id].tsx — GET /admin/withdrawals/:id (one request: facts, people, the decision
// forms), POST …/:id/approve (with the bank's reference) and …/:id/reject (with a reason); withdrawals.manage,
// audited. A decision goes back to the queue; one the ledger refuses is shown on this page.
import { Hono } from "hono";
import { z } from "zod";
import { ID_PATTERN, int8Id, text } from "../../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { formatId } from "../../../lib/i18n/format.ts";
import { withdrawalForStaff } from "../../../lib/wallet/withdrawal_queue.ts";
import { approveWithdrawalAudited, rejectWithdrawalAudited } from "../../../lib/wallet/staff_actions.ts";
import { walletErrors } from "../../../lib/wallet/errors.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import type { WithdrawalDecision } from "../../../components/wallet/WithdrawalsQueuePage.tsx";
import { WithdrawalDetailPage } from "../../../components/wallet/WithdrawalDetailPage.tsx";
import { walletErrorText } from "../../wallet/_errors.ts";

const params = z.object({ id: int8Id });
const approveForm = z.object({ bank_reference: text().trim().min(1).max(100) });
const rejectForm = z.object({ reason: text().trim().min(3).max(500) });
const PATH = `/:id{${ID_PATTERN}}`;

async function render(c: AppContext, id: string, problem?: string, status?: 400 | 403 | 404 | 409 | 422) {
  const found = await c.var.asUser((tx) => withdrawalForStaff(tx, id));
  if (!found) throw walletErrors.refuse("withdrawal_not_found");
  const { t, locale } = c.var;
  return renderPage(
    c,
    <WithdrawalDetailPage t={t} locale={locale} {...found} viewerId={c.var.user().sub} problem={problem} />,
    { title: t("admin.withdrawals.detail.title", { id: formatId(id, locale) }), status },
  );
}

/** A decision the ledger refused (already decided, the same approver twice, …) is shown on the detail page. */
async function decided(c: AppContext, id: string, act: () => Promise<WithdrawalDecision>) {
  let notice: WithdrawalDecision;
  try {
    notice = await act();
  } catch (error) {
    if (!walletErrors.is(error) || error.code === "withdrawal_not_found") throw error;
    return await render(c, id, walletErrorText(c, error), error.status as 403 | 409 | 422);
  }
  return c.redirect(`/admin/withdrawals?notice=${notice}&id=${id}`, 303);
}

const badForm = (key: MessageKey) => (c: AppContext) => render(c, c.req.param("id")!, c.var.t(key), 400);

export const adminWithdrawal = new Hono<AppEnv>()
  .use("/*", requirePermission("withdrawals.manage"))
  .get(PATH, validate("param", params), (c) => render(c, c.req.valid("param").id))
  .post(
    `${PATH}/approve`,
    validate("param", params),
    formValidator(approveForm, badForm("form.error.bankReference")),
    async (c) => {
      const id = c.req.valid("param").id;
      const { bank_reference } = c.req.valid("form");
      return await decided(c, id, async () => {
        const approval = await approveWithdrawalAudited(
          c.var.user(),
          { withdrawalId: id, bankReference: bank_reference },
          requestContext(c),
        );
        return approval.paid ? "approved" : "first_approval";
      });
    },
  )
  .post(
    `${PATH}/reject`,
    validate("param", params),
    formValidator(rejectForm, badForm("form.error.reason")),
    async (c) => {
      const id = c.req.valid("param").id;
      const { reason } = c.req.valid("form");
      return await decided(c, id, async () => {
        await rejectWithdrawalAudited(c.var.user(), { withdrawalId: id, reason }, requestContext(c));
        return "rejected";
      });
    },
  );
