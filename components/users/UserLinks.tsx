/**
 * The user page's links to the user's money and history — wallet, payments, withdrawals, audit trail — each
 * offered only when the viewer's permissions open the page it leads to (the same checks as those routes).
 */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { can, type Viewer } from "../../lib/auth/viewer.ts";
import type { Translate } from "../admin/shell.tsx";

export interface UserLink {
  href: string;
  label: MessageKey;
}

export function userLinks(viewer: Viewer | undefined, user: { id: string; email: string }): UserLink[] {
  const may = (...permissions: string[]) => permissions.every((p) => can(viewer, p));
  const links: UserLink[] = [];
  if (may("wallet.view", "users.view")) {
    links.push({ href: `/admin/wallets/${user.id}`, label: "admin.user.links.wallet" });
  } else if (may("wallet.view_summary", "users.view")) {
    links.push({ href: `/admin/users/${user.id}/wallet`, label: "admin.user.links.wallet" });
  }
  if (may("payments.view")) {
    links.push({
      href: `/admin/payments?${new URLSearchParams({ q: user.email })}`,
      label: "admin.user.links.payments",
    });
  }
  if (may("withdrawals.manage")) {
    links.push({
      href: `/admin/withdrawals?${new URLSearchParams({ status: "all", user: user.id })}`,
      label: "admin.user.links.withdrawals",
    });
  }
  if (may("audit.view")) {
    links.push({
      href: `/admin/audit?${new URLSearchParams({ target: user.id })}`,
      label: "admin.user.links.audit",
    });
  }
  return links;
}

export function UserLinks({ t, links }: { t: Translate; links: UserLink[] }) {
  if (links.length === 0) return null;
  return (
    <nav class="card user-links" aria-labelledby="user-links-title">
      <h2 id="user-links-title">{t("admin.user.links.title")}</h2>
      <ul class="actions">
        {links.map((link) => (
          <li>
            <a class="button button-ghost" href={link.href}>{t(link.label)}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
