/** The staff dashboard: a card per tool the viewer's permissions open. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { Translate } from "./shell.tsx";
import { Notice } from "../ui/Notice.tsx";

export interface AdminTool {
  href: string;
  /** Every permission the tool's page checks (the link is offered only with all of them). */
  permissions: string[];
  title: MessageKey;
  body: MessageKey;
}

export const ADMIN_TOOLS: AdminTool[] = [
  {
    href: "/admin/tickets",
    permissions: ["tickets.manage"],
    title: "tickets.staff.queue.title",
    body: "tickets.staff.home",
  },
  { href: "/admin/users", permissions: ["users.view"], title: "admin.users.title", body: "admin.home.users" },
  { href: "/admin/audit", permissions: ["audit.view"], title: "admin.audit.title", body: "admin.home.audit" },
  {
    href: "/admin/payments",
    permissions: ["payments.view"],
    title: "admin.payments.title",
    body: "admin.home.payments",
  },
  {
    href: "/admin/wallets",
    permissions: ["wallet.view", "users.view"],
    title: "admin.wallets.title",
    body: "admin.home.wallets",
  },
  {
    href: "/admin/withdrawals",
    permissions: ["withdrawals.manage"],
    title: "admin.withdrawals.title",
    body: "admin.home.withdrawals",
  },
  {
    href: "/admin/approvals",
    permissions: ["wallet.view"],
    title: "admin.approvals.title",
    body: "admin.home.approvals",
  },
  {
    href: "/admin/api-keys",
    permissions: ["api_keys.manage"],
    title: "admin.apiKeys.title",
    body: "admin.home.apiKeys",
  },
  {
    href: "/admin/notifications",
    permissions: ["notifications.manage"],
    title: "admin.notifications.title",
    body: "admin.notifications.home",
  },
  {
    href: "/admin/broadcasts",
    permissions: ["broadcasts.send"],
    title: "admin.broadcasts.title",
    body: "admin.broadcasts.home",
  },
  {
    href: "/admin/ledger/health",
    permissions: ["wallet.view"],
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
