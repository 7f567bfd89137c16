// routes/admin/payments/[id].tsx — GET /admin/payments/:id (payments.view: facts, refunds, the whole gateway
// exchange), POST …/verify (ask Zarinpal again) and POST …/refund (payments.refund, within the reverse window)
import { Hono } from "hono";
import { formatId } from "../../../lib/i18n/format.ts";
import { z } from "zod";
import { ID_PATTERN, int8Id, text } from "../../../lib/http/schemas.ts";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requireLiveSession, requirePermission } from "../../../lib/auth/guards.ts";
import { can } from "../../../lib/auth/viewer.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { paymentsContext } from "../../../lib/payments/context.ts";
import { confirmPayment } from "../../../lib/payments/confirm.ts";
import { refundPayment } from "../../../lib/payments/refund.ts";
import { paymentErrors } from "../../../lib/payments/errors.ts";
import { findForStaff, staffPaymentDetail } from "../../../lib/payments/queries.ts";
import { StaffPaymentPage } from "../../../components/payments/StaffPaymentPage.tsx";

const params = z.object({ id: int8Id });
const NOTICES = [
  "settled",
  "already_final",
  "pending",
  "failed",
  "cancelled",
  "expired",
  "flagged",
  "refund_completed",
  "refund_failed",
  "refund_pending",
] as const;
const ERRORS = [
  "insufficient_funds",
  "not_refundable",
  "refund_in_progress",
  "refund_window_closed",
  "not_permitted",
] as const;
const query = z.object({ notice: z.enum(NOTICES).optional(), error: z.enum(ERRORS).optional() });
const refundForm = z.object({ reason: text().trim().min(3).max(500) });
const PATH = `/:id{${ID_PATTERN}}`;

export const adminPayment = new Hono<AppEnv>()
  .get(
    PATH,
    requirePermission("payments.view"),
    validate("param", params),
    validate("query", query),
    async (c) => {
      const { id } = c.req.valid("param");
      const { notice, error } = c.req.valid("query");
      const detail = await c.var.asUser((tx) => staffPaymentDetail(tx, id));
      if (!detail) throw paymentErrors.refuse("payment_not_found");
      const { settings } = await paymentsContext();
      return renderPage(
        c,
        <StaffPaymentPage
          t={c.var.t}
          locale={c.var.locale}
          {...{ id, detail, notice, error }}
          canRefund={can(c.var.viewer, "payments.refund")}
          windowSeconds={settings.reverseWindowSeconds}
        />,
        { title: c.var.t("payments.result.title", { id: formatId(id, c.var.locale) }) },
      );
    },
  )
  .post(`${PATH}/verify`, requirePermission("payments.view"), validate("param", params), async (c) => {
    const { id } = c.req.valid("param");
    // Staff may only look at payments they can see: the RLS read decides before anything is asked of the gateway.
    if (!await c.var.asUser((tx) => findForStaff(tx, id))) {
      throw paymentErrors.refuse("payment_not_found");
    }
    const outcome = await confirmPayment(await paymentsContext(), id, { mode: "reconcile" });
    return c.redirect(`/admin/payments/${id}?notice=${outcome}`, 303);
  })
  .post(
    `${PATH}/refund`,
    requirePermission("payments.refund"),
    requireLiveSession, // money moves: make sure the session was not revoked since the token was signed
    validate("param", params),
    validate("form", refundForm),
    async (c) => {
      const { id } = c.req.valid("param");
      try {
        const outcome = await refundPayment(await paymentsContext(), c.var.user(), {
          paymentId: id,
          reason: c.req.valid("form").reason,
          context: requestContext(c),
        });
        return c.redirect(`/admin/payments/${id}?notice=refund_${outcome.status}`, 303);
      } catch (error) {
        if (paymentErrors.is(error) && (ERRORS as readonly string[]).includes(error.code)) {
          return c.redirect(`/admin/payments/${id}?error=${error.code}`, 303);
        }
        throw error;
      }
    },
  );
