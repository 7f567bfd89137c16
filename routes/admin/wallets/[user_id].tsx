// routes/admin/wallets/[user_id].tsx — GET /admin/wallets/:user_id (a customer's balances, pending adjustment
// requests and history), POST /admin/wallets/:user_id/adjust (wallet.adjust: a signed amount with a mandatory
// reason, audited; above the four-eyes threshold it becomes a request for a second staff member)
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { can } from "../../../lib/auth/viewer.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { getUserDetail } from "../../../lib/users/admin.ts";
import { userErrors } from "../../../lib/users/errors.ts";
import { walletSummary } from "../../../lib/wallet/summary.ts";
import { listEntries } from "../../../lib/wallet/entries.ts";
import { loadCounterparties } from "../../../lib/wallet/counterparties.ts";
import { adjustOrRequest, pendingAdjustmentRequests } from "../../../lib/wallet/approvals.ts";
import { walletErrors } from "../../../lib/wallet/errors.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import { signedTomansField } from "../../../components/wallet/tomans.ts";
import {
  type StaffWalletData,
  type StaffWalletNotice,
  StaffWalletPage,
} from "../../../components/wallet/StaffWalletPage.tsx";
import { walletErrorKey, walletErrorText } from "../../wallet/_errors.ts";
import { walletLookup } from "./index.tsx";

const params = z.object({ user_id: z.uuid() });
const query = z.object({
  cursor: text().max(200).optional(),
  notice: z.enum(["adjusted", "requested", "approved", "rejected"]).optional(),
});
const form = z.object({
  tomans: signedTomansField,
  reason: text().trim().min(3, "form.error.reason").max(500, "form.error.reason"),
  key: z.uuid(),
});

type Shown = Pick<StaffWalletData, "cursor" | "notice" | "form">;

/** Loads what the page shows and renders it (also for a form shown again with its errors). */
async function showWallet(c: AppContext, userId: string, shown: Shown, status: 200 | 400 | 422 = 200) {
  const data = await c.var.asUser(async (tx) => ({
    user: await getUserDetail(tx, userId),
    wallet: await walletSummary(tx, userId),
    page: await listEntries(tx, { userId, cursor: shown.cursor, limit: 20 }),
    requests: await pendingAdjustmentRequests(tx, { userId }),
  }));
  if (!data.user) throw userErrors.refuse("user_not_found");
  const counterparties = await loadCounterparties(userId, data.page.entries);
  const { t, locale } = c.var;
  const page: StaffWalletData = {
    ...data,
    user: data.user,
    counterparties,
    ...shown,
    viewerId: c.var.user().sub,
    canAdjust: can(c.var.viewer, "wallet.adjust"),
  };
  return renderPage(c, <StaffWalletPage t={t} locale={locale} data={page} />, {
    title: t("admin.wallets.detailTitle", { email: data.user.email }),
    status,
  });
}

export const adminWallet = new Hono<AppEnv>()
  .get("/:user_id", walletLookup, validate("param", params), validate("query", query), (c) => {
    const { cursor, notice } = c.req.valid("query");
    return showWallet(c, c.req.valid("param").user_id, { cursor, notice });
  })
  .post(
    "/:user_id/adjust",
    requirePermission("wallet.adjust"),
    validate("param", params),
    formValidator(
      form,
      (c, errors, values) =>
        showWallet(c, c.req.param("user_id")!, {
          form: { values, errors, problem: c.var.t("form.errorSummary") },
        }, 400),
    ),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const input = c.req.valid("form");
      let notice: StaffWalletNotice;
      try {
        const outcome = await adjustOrRequest(c.var.user(), {
          userId,
          amount: input.tomans,
          reason: input.reason,
          idempotencyKey: `adjust-form:${input.key}`,
        }, requestContext(c));
        notice = outcome.posted ? "adjusted" : "requested";
      } catch (error) {
        if (!walletErrors.is(error)) throw error;
        const values = (await c.req.parseBody()) as Record<string, string>;
        const field = error.code === "reason_required" ? "reason" : "tomans";
        return await showWallet(c, userId, {
          form: {
            values: error.code === "idempotency_conflict" ? { ...values, key: crypto.randomUUID() } : values,
            errors: { [field]: walletErrorKey(error) },
            problem: walletErrorText(c, error),
          },
        }, 422);
      }
      return c.redirect(`/admin/wallets/${userId}?notice=${notice}`, 303);
    },
  );
