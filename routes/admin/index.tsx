// routes/admin/index.tsx — GET /admin (staff dashboard: links to the tools the viewer's permissions open)
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { renderPage } from "../../components/render.tsx";
import { can } from "../../lib/auth/viewer.ts";

const TOOLS: { href: string; permission: string; title: MessageKey; body: MessageKey }[] = [
  { href: "/admin/users", permission: "users.view", title: "admin.users.title", body: "admin.home.users" },
  { href: "/admin/audit", permission: "audit.view", title: "admin.audit.title", body: "admin.home.audit" },
  {
    href: "/admin/payments",
    permission: "payments.view",
    title: "admin.payments.title",
    body: "admin.home.payments",
  },
  {
    href: "/admin/wallets",
    permission: "wallet.view",
    title: "admin.wallets.title",
    body: "admin.home.wallets",
  },
  {
    href: "/admin/withdrawals",
    permission: "withdrawals.manage",
    title: "admin.withdrawals.title",
    body: "admin.home.withdrawals",
  },
  {
    href: "/admin/ledger/health",
    permission: "wallet.view",
    title: "admin.ledger.title",
    body: "admin.home.ledger",
  },
];

export const adminHome = new Hono<AppEnv>().get("/", (c) => {
  const t = c.var.t;
  const tools = TOOLS.filter((tool) => can(c.var.viewer, tool.permission));
  return renderPage(
    c,
    <>
      <h1>{t("admin.title")}</h1>
      <p class="lead">{t("admin.lead", { role: t(`role.${c.var.viewer!.role}` as MessageKey) })}</p>
      {tools.length === 0
        ? <p class="alert alert-info">{t("admin.home.nothing")}</p>
        : (
          <ul class="feature-grid admin-tools">
            {tools.map((tool) => (
              <li class="card">
                <h2>
                  <a href={tool.href}>{t(tool.title)}</a>
                </h2>
                <p>{t(tool.body)}</p>
              </li>
            ))}
          </ul>
        )}
    </>,
    { title: t("admin.title") },
  );
});
