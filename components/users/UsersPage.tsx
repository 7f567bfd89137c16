/** The staff user list: a search form, a table of users, keyset pagination. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { UserPage, UserSummary } from "../../lib/users/admin.ts";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { Pagination } from "../ui/Pagination.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { UserStatus } from "./UserStatus.tsx";

export interface UsersPageProps extends PageProps {
  q?: string;
  /** The cursor of the page shown (none on the first). */
  after?: string;
  page: UserPage;
}

export function UsersPage({ t, locale, q, after, page }: UsersPageProps) {
  const columns: Column<UserSummary>[] = [
    {
      header: t("form.email"),
      cell: (user) => <a href={`/admin/users/${user.id}`} dir="ltr">{user.email}</a>,
    },
    { header: t("form.fullName"), cell: (user) => <bdi dir="auto">{user.full_name}</bdi> },
    { header: t("admin.users.role"), cell: (user) => t(`role.${user.role}` as MessageKey) },
    {
      header: t("admin.users.status"),
      cell: (user) => (
        <UserStatus
          t={t}
          locale={locale}
          bannedUntil={user.banned_until}
          confirmedAt={user.email_confirmed_at}
        />
      ),
    },
    { header: t("admin.users.joined"), cell: (user) => formatDate(user.created_at, locale) },
  ];
  return (
    <>
      <Breadcrumbs t={t} />
      <h1>{t("admin.users.title")}</h1>
      <form method="get" action="/admin/users" class="search-form" role="search">
        <label for="users-q">{t("admin.users.search")}</label>
        <input id="users-q" name="q" type="search" value={q ?? ""} maxLength={120} />
        <button type="submit">{t("admin.users.searchSubmit")}</button>
      </form>
      <DataTable
        columns={columns}
        rows={page.users}
        caption={t("admin.users.title")}
        empty={t("admin.users.empty")}
        pagination={
          <Pagination
            t={t}
            path="/admin/users"
            params={{ q }}
            cursorParam="after"
            cursor={after}
            next={page.next}
          />
        }
      />
    </>
  );
}
