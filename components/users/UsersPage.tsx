/** The staff user list: a search form, a table of users, keyset pagination. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { UserPage } from "../../lib/users/admin.ts";
import { Breadcrumbs, PageLinks, type PageProps } from "../admin/shell.tsx";
import { UserStatus } from "./UserStatus.tsx";

export interface UsersPageProps extends PageProps {
  q?: string;
  page: UserPage;
  /** The list's URL with the search kept and the given cursor. */
  link: (cursor?: string) => string;
  onFirstPage: boolean;
}

export function UsersPage({ t, locale, q, page, link, onFirstPage }: UsersPageProps) {
  return (
    <>
      <Breadcrumbs t={t} />
      <h1>{t("admin.users.title")}</h1>
      <form method="get" action="/admin/users" class="search-form" role="search">
        <label for="users-q">{t("admin.users.search")}</label>
        <input id="users-q" name="q" type="search" value={q ?? ""} maxLength={120} />
        <button type="submit">{t("admin.users.searchSubmit")}</button>
      </form>
      {page.users.length === 0
        ? <p class="alert alert-info">{t("admin.users.empty")}</p>
        : (
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{t("admin.users.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("form.email")}</th>
                  <th scope="col">{t("form.fullName")}</th>
                  <th scope="col">{t("admin.users.role")}</th>
                  <th scope="col">{t("admin.users.status")}</th>
                  <th scope="col">{t("admin.users.joined")}</th>
                </tr>
              </thead>
              <tbody>
                {page.users.map((user) => (
                  <tr>
                    <td>
                      <a href={`/admin/users/${user.id}`} dir="ltr">{user.email}</a>
                    </td>
                    <td>{user.full_name}</td>
                    <td>{t(`role.${user.role}` as MessageKey)}</td>
                    <td>
                      <UserStatus
                        t={t}
                        locale={locale}
                        bannedUntil={user.banned_until}
                        confirmedAt={user.email_confirmed_at}
                      />
                    </td>
                    <td>{formatDate(user.created_at, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <PageLinks t={t} first={onFirstPage ? undefined : link()} next={page.next && link(page.next)} />
    </>
  );
}
