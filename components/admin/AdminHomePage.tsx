/** The staff dashboard: a card per tool the viewer's permissions open. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { Translate } from "./shell.tsx";
import { Notice } from "../ui/Notice.tsx";

export interface AdminTool {
  href: string;
  permission: string;
  title: MessageKey;
  body: MessageKey;
}

export const ADMIN_TOOLS: AdminTool[] = [
  {
    href: "/admin/tickets",
    permission: "tickets.manage",
    title: "tickets.staff.queue.title",
    body: "tickets.staff.home",
  },
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
    href: "/admin/approvals",
    permission: "wallet.view",
    title: "admin.approvals.title",
    body: "admin.home.approvals",
  },
  {
    href: "/admin/api-keys",
    permission: "api_keys.manage",
    title: "admin.apiKeys.title",
    body: "admin.home.apiKeys",
  },
  {
    href: "/admin/notifications",
    permission: "notifications.manage",
    title: "admin.notifications.title",
    body: "admin.notifications.home",
  },
  {
    href: "/admin/broadcasts",
    permission: "broadcasts.send",
    title: "admin.broadcasts.title",
    body: "admin.broadcasts.home",
  },
  {
    href: "/admin/ledger/health",
    permission: "wallet.view",
    title: "admin.ledger.title",
    body: "admin.home.ledger",
  },
];

export function AdminHomePage({ t, role, tools }: { t: Translate; role: string; tools: AdminTool[] }) {
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <p class="lead">{t("admin.lead", { role: t(`role.${role}` as MessageKey) })}</p>
      {tools.length === 0
        ? <Notice kind="info" text={t("admin.home.nothing")} />
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
    </>
  );
}
