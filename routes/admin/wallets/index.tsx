// routes/admin/wallets/index.tsx — GET /admin/wallets (find a customer's wallet by email; wallet.view + users.view)
import { Hono } from "hono";
import { every } from "hono/combine";
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { listUsers } from "../../../lib/users/admin.ts";
import { StaffWalletsPage } from "../../../components/wallet/StaffWalletsPage.tsx";

const query = z.object({ q: text().trim().max(120).optional() });

export const walletLookup = every(requirePermission("wallet.view"), requirePermission("users.view"));

export const adminWallets = new Hono<AppEnv>().get(
  "/",
  walletLookup,
  validate("query", query),
  async (c) => {
    const { q } = c.req.valid("query");
    const users = q ? (await c.var.asUser((tx) => listUsers(tx, { search: q, pageSize: 20 }))).users : [];
    return renderPage(c, <StaffWalletsPage t={c.var.t} q={q} users={users} />, {
      title: c.var.t("admin.wallets.title"),
    });
  },
);
