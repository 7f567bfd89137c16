// routes/admin/withdrawals/index.tsx — GET /admin/withdrawals (the queue by status), POST …/:id/approve (with the
// bank's reference) and …/:id/reject (with a reason); withdrawals.manage, audited
import { Hono } from "hono";
import { z } from "zod";
import { int8Id, text } from "../../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { withdrawalQueue } from "../../../lib/wallet/withdrawals.ts";
import { approveWithdrawalAudited, rejectWithdrawalAudited } from "../../../lib/wallet/staff_actions.ts";
import { walletErrors } from "../../../lib/wallet/errors.ts";
import { WITHDRAWAL_STATUSES } from "../../../lib/wallet/vocabulary.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import {
  type WithdrawalDecision,
  WithdrawalsQueuePage,
} from "../../../components/wallet/WithdrawalsQueuePage.tsx";
import { walletErrorText } from "../../wallet/_errors.ts";

const query = z.object({
  status: z.enum(WITHDRAWAL_STATUSES).default("pending"),
  cursor: text().max(200).optional(),
  notice: z.enum(["approved", "rejected", "first_approval"]).optional(),
  id: int8Id.optional(),
});
const params = z.object({ id: int8Id });
const approveForm = z.object({ bank_reference: text().trim().min(1).max(100) });
const rejectForm = z.object({ reason: text().trim().min(3).max(500) });

async function render(
  c: AppContext,
  q: z.infer<typeof query>,
  problem?: string,
  status?: 400 | 404 | 409 | 422,
) {
  const { page, emails } = await c.var.asUser((tx) =>
    withdrawalQueue(tx, { status: q.status, cursor: q.cursor, limit: 20 })
  );
  const notice = q.notice && q.id ? { kind: q.notice, id: q.id } : undefined;
  return renderPage(
    c,
    <WithdrawalsQueuePage
      t={c.var.t}
      locale={c.var.locale}
      {...{ status: q.status, page, emails, notice, problem }}
    />,
    { title: c.var.t("admin.withdrawals.title"), status },
  );
}

/** A decision the ledger refused (already decided, not found) is shown on the queue. */
async function decided(c: AppContext, id: string, act: () => Promise<WithdrawalDecision>) {
  let notice: WithdrawalDecision;
  try {
    notice = await act();
  } catch (error) {
    if (!walletErrors.is(error)) throw error;
    return await render(c, { status: "pending" }, walletErrorText(c, error), error.status as 404 | 409 | 422);
  }
  return c.redirect(`/admin/withdrawals?notice=${notice}&id=${id}`, 303);
}

const badForm = (key: MessageKey) => (c: AppContext) => render(c, { status: "pending" }, c.var.t(key), 400);

export const adminWithdrawals = new Hono<AppEnv>()
  .use("/", requirePermission("withdrawals.manage"))
  .use("/*", requirePermission("withdrawals.manage"))
  .get("/", validate("query", query), (c) => render(c, c.req.valid("query")))
  .post(
    "/:id/approve",
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
    "/:id/reject",
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
