// routes/admin/approvals.tsx — GET /admin/approvals (adjustments waiting for a second staff member),
// POST /admin/approvals/adjustments/:id/approve and …/reject (wallet.adjust; never the requester: SQL decides)
import { Hono } from "hono";
import { z } from "zod";
import { int8Id, text } from "../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { requirePermission } from "../../lib/auth/guards.ts";
import { can } from "../../lib/auth/viewer.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import { decideAdjustment, pendingAdjustmentRequests } from "../../lib/wallet/approvals.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import { type ApprovalNotice, ApprovalsPage } from "../../components/wallet/ApprovalsPage.tsx";
import { walletErrorText } from "../wallet/_errors.ts";

const query = z.object({ notice: z.enum(["approved", "rejected"]).optional() });
const params = z.object({ id: int8Id });
const rejectForm = z.object({
  reason: text("form.error.reason").trim().min(3, "form.error.reason").max(500, "form.error.reason"),
});

async function showApprovals(
  c: AppContext,
  shown: { notice?: ApprovalNotice; problem?: string },
  status = 200,
) {
  const requests = await c.var.asUser((tx) => pendingAdjustmentRequests(tx));
  const { t, locale } = c.var;
  const page = (
    <ApprovalsPage
      t={t}
      locale={locale}
      requests={requests}
      viewerId={c.var.user().sub}
      canDecide={can(c.var.viewer, "wallet.adjust")}
      {...shown}
    />
  );
  return renderPage(c, page, {
    title: t("admin.approvals.title"),
    status: status as 200 | 400 | 403 | 404 | 409,
  });
}

/** Runs a decision; a refusal (the requester deciding, already decided) is shown on the list. */
async function decide(c: AppContext, notice: ApprovalNotice, act: () => Promise<void>) {
  try {
    await act();
  } catch (error) {
    if (!walletErrors.is(error)) throw error;
    return await showApprovals(c, { problem: walletErrorText(c, error) }, error.status);
  }
  return c.redirect(`/admin/approvals?notice=${notice}`, 303);
}

export const adminApprovals = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("wallet.view"),
    validate("query", query),
    (c) => showApprovals(c, c.req.valid("query")),
  )
  .post(
    "/adjustments/:id/approve",
    requirePermission("wallet.adjust"),
    validate("param", params),
    (c) =>
      decide(c, "approved", () =>
        decideAdjustment(
          c.var.user(),
          { requestId: c.req.valid("param").id, approve: true },
          requestContext(c),
        )),
  )
  .post(
    "/adjustments/:id/reject",
    requirePermission("wallet.adjust"),
    validate("param", params),
    formValidator(rejectForm, (c) => showApprovals(c, { problem: c.var.t("form.error.reason") }, 400)),
    (c) =>
      decide(c, "rejected", () =>
        decideAdjustment(
          c.var.user(),
          { requestId: c.req.valid("param").id, approve: false, reason: c.req.valid("form").reason },
          requestContext(c),
        )),
  );
