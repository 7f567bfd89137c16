// routes/admin/users/index.tsx — GET /admin/users (staff user list: search, keyset pagination)
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../lib/http/env.ts";
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formatDate } from "../../../lib/i18n/format.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { listUsers } from "../../../lib/users/admin.ts";
import { UserStatus } from "../../../components/forms/UserStatus.tsx";

const query = z.object({
  q: z.string().trim().max(120).optional(),
  after: z.string().max(300).optional(),
});

export const adminUsers = new Hono<AppEnv>().get(
  "/",
  requirePermission("users.view"),
  validate("query", query),
  async (c) => {
    const { q, after } = c.req.valid("query");
    const page = await c.var.asUser((tx) => listUsers(tx, { search: q, cursor: after }));
    const t = c.var.t;
    const locale = c.var.locale;
    const link = (cursor?: string) =>
      `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), ...(cursor ? { after: cursor } : {}) })}`;
    return renderPage(
      c,
      <>
        <p class="breadcrumbs">
          <a href="/admin">{t("admin.title")}</a>
        </p>
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
        <nav class="pagination" aria-label={t("admin.pagination")}>
          {after ? <a href={link()}>{t("admin.firstPage")}</a> : <span></span>}
          {page.next && <a href={link(page.next)} rel="next">{t("admin.nextPage")}</a>}
        </nav>
      </>,
      { title: t("admin.users.title") },
    );
  },
);
