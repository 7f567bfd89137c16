// routes/admin/wallets/index.tsx — GET /admin/wallets (find a customer's wallet by email; wallet.view + users.view)
import { Hono } from "hono";
import { every } from "hono/combine";
import { z } from "zod";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { listUsers } from "../../../lib/users/admin.ts";

const query = z.object({ q: z.string().trim().max(120).optional() });

export const walletLookup = every(requirePermission("wallet.view"), requirePermission("users.view"));

export const adminWallets = new Hono<AppEnv>().get(
  "/",
  walletLookup,
  validate("query", query),
  async (c) => {
    const { q } = c.req.valid("query");
    const users = q ? (await c.var.asUser((tx) => listUsers(tx, { search: q, pageSize: 20 }))).users : [];
    const t = c.var.t;
    return renderPage(
      c,
      <>
        <p class="breadcrumbs">
          <a href="/admin">{t("admin.title")}</a>
        </p>
        <h1>{t("admin.wallets.title")}</h1>
        <p class="lead">{t("admin.wallets.lead")}</p>
        <form method="get" action="/admin/wallets" class="search-form" role="search">
          <label for="wallets-q">{t("admin.wallets.search")}</label>
          <input id="wallets-q" name="q" type="search" value={q ?? ""} maxLength={120} dir="ltr" />
          <button type="submit">{t("admin.wallets.searchSubmit")}</button>
        </form>
        {q && users.length === 0 && <p class="alert alert-info">{t("admin.wallets.empty")}</p>}
        {users.length > 0 && (
          <ul class="wallet-lookup">
            {users.map((user) => (
              <li>
                <a href={`/admin/wallets/${user.id}`} dir="ltr">{user.email}</a> {user.full_name}
              </li>
            ))}
          </ul>
        )}
      </>,
      { title: t("admin.wallets.title") },
    );
  },
);
