// routes/admin/users/wallet.tsx — GET /admin/users/:id/wallet (wallet.view_summary and users.view: a customer's
// balances, recent payments and withdrawals, read-only; every look audited by the database, ?ticket= names
// the ticket the agent is helping with)
import { Hono } from "hono";
import { every } from "hono/combine";
import { z } from "zod";
import { int8Id } from "../../../lib/http/schemas.ts";
import { optionalField } from "../../../lib/http/form_fields.ts";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { getUserDetail } from "../../../lib/users/admin.ts";
import { userErrors } from "../../../lib/users/errors.ts";
import { viewCustomerWallet } from "../../../lib/wallet/customer_view.ts";
import { CustomerWalletPage } from "../../../components/wallet/CustomerWalletPage.tsx";

const params = z.object({ id: z.uuid() });
const query = z.object({ ticket: optionalField(int8Id) });

/** Who may open a customer's wallet summary: the same two permissions the user page and the SQL check. */
export const customerWalletAccess = every(
  requirePermission("wallet.view_summary"),
  requirePermission("users.view"),
);

export const adminUserWallet = new Hono<AppEnv>().get(
  "/:id/wallet",
  customerWalletAccess,
  validate("param", params),
  validate("query", query),
  async (c) => {
    const { id } = c.req.valid("param");
    const ticketId = c.req.valid("query").ticket;
    const context = requestContext(c);
    const { user, view } = await c.var.asUser(async (tx) => {
      const user = await getUserDetail(tx, id);
      if (!user) throw userErrors.refuse("user_not_found");
      return { user, view: await viewCustomerWallet(tx, { userId: id, ticketId }, context) };
    });
    const { t, locale } = c.var;
    const name = user.full_name || user.email;
    return renderPage(
      c,
      <CustomerWalletPage
        t={t}
        locale={locale}
        user={{ id: user.id, email: user.email, fullName: user.full_name ?? "" }}
        view={view}
        ticketId={ticketId}
      />,
      { title: t("admin.customerWallet.title", { name }) },
    );
  },
);
