/** Finding a customer's wallet by email: a search form and the matching users. */
import type { UserSummary } from "../../lib/users/admin.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { Breadcrumbs, type Translate } from "../admin/shell.tsx";

export function StaffWalletsPage({ t, q, users }: { t: Translate; q?: string; users: UserSummary[] }) {
  return (
    <>
      <Breadcrumbs t={t} />
      <h1>{t("admin.wallets.title")}</h1>
      <p class="lead">{t("admin.wallets.lead")}</p>
      <form method="get" action="/admin/wallets" class="search-form" role="search">
        <label for="wallets-q">{t("admin.wallets.search")}</label>
        <input id="wallets-q" name="q" type="search" value={q ?? ""} maxLength={120} dir="ltr" />
        <button type="submit">{t("admin.wallets.searchSubmit")}</button>
      </form>
      {q && users.length === 0 && <EmptyState text={t("admin.wallets.empty")} />}
      {users.length > 0 && (
        <ul class="wallet-lookup">
          {users.map((user) => (
            <li>
              <a href={`/admin/wallets/${user.id}`} dir="ltr">{user.email}</a> {user.full_name}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
