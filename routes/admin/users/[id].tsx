// routes/admin/users/[id].tsx — GET /admin/users/:id (a user's account), POST …/role and …/ban (users.manage)
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../lib/http/env.ts";
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formatDate } from "../../../lib/i18n/format.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { can } from "../../../lib/auth/viewer.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { BAN_DURATIONS, getUserDetail, ROLES } from "../../../lib/users/admin.ts";
import { changeRole, setBan } from "../../../lib/users/manage.ts";
import { recentEntriesFor } from "../../../lib/audit/query.ts";
import { FormAlert } from "../../../components/forms/Field.tsx";
import { UserStatus } from "../../../components/forms/UserStatus.tsx";
import { UserActions } from "../../../components/forms/UserActions.tsx";
import { AuditTable } from "../../../components/forms/AuditTable.tsx";
import { userErrors } from "../../../lib/users/errors.ts";

const params = z.object({ id: z.uuid() });
const NOTICES = ["role_changed", "banned", "unbanned"] as const;
const query = z.object({ notice: z.enum(NOTICES).optional() });
const roleForm = z.object({ role: z.enum(ROLES) });
const banForm = z.object({
  duration: z.enum([...Object.keys(BAN_DURATIONS) as (keyof typeof BAN_DURATIONS)[], "none"]),
});

export const adminUser = new Hono<AppEnv>()
  .get(
    "/:id",
    requirePermission("users.view"),
    validate("param", params),
    validate("query", query),
    async (c) => {
      const { id } = c.req.valid("param");
      const { notice } = c.req.valid("query");
      const [user, entries] = await c.var.asUser(async (tx) =>
        [
          await getUserDetail(tx, id),
          await recentEntriesFor(tx, id),
        ] as const
      );
      if (!user) throw userErrors.refuse("user_not_found");
      const t = c.var.t;
      const locale = c.var.locale;
      const date = (d: Date | null) => d ? formatDate(d, locale, { time: true }) : t("admin.user.never");
      return renderPage(
        c,
        <>
          <p class="breadcrumbs">
            <a href="/admin">{t("admin.title")}</a> › <a href="/admin/users">{t("admin.users.title")}</a>
          </p>
          <h1 class="ltr-inline">{user.email}</h1>
          <FormAlert kind="success" text={notice && t(`admin.user.notice.${notice}` as MessageKey)} />
          <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">{t("admin.user.account")}</h2>
            <dl class="facts">
              <dt>{t("form.fullName")}</dt>
              <dd>{user.full_name || "—"}</dd>
              <dt>{t("admin.users.role")}</dt>
              <dd>{t(`role.${user.role}` as MessageKey)}</dd>
              <dt>{t("admin.users.status")}</dt>
              <dd>
                <UserStatus
                  t={t}
                  locale={locale}
                  bannedUntil={user.banned_until}
                  confirmedAt={user.email_confirmed_at}
                />
              </dd>
              <dt>{t("form.phone")}</dt>
              <dd>
                <span dir="ltr">{user.phone ?? "—"}</span>
              </dd>
              <dt>{t("form.locale")}</dt>
              <dd>{t(user.locale === "en" ? "locale.en" : "locale.fa")}</dd>
              <dt>{t("admin.user.providers")}</dt>
              <dd>
                <span dir="ltr">{user.providers.join(", ") || "—"}</span>
              </dd>
              <dt>{t("admin.users.joined")}</dt>
              <dd>{date(user.created_at)}</dd>
              <dt>{t("admin.user.lastSignIn")}</dt>
              <dd>{date(user.last_sign_in_at)}</dd>
            </dl>
          </section>
          {can(c.var.viewer, "users.manage") && (
            <UserActions t={t} user={user} self={user.id === c.var.user().sub} />
          )}
          {can(c.var.viewer, "audit.view") && (
            <section aria-labelledby="activity-title">
              <h2 id="activity-title">{t("admin.user.activity")}</h2>
              {entries.length === 0
                ? <p class="muted">{t("admin.audit.empty")}</p>
                : <AuditTable t={t} locale={locale} entries={entries} caption={t("admin.user.activity")} />}
            </section>
          )}
        </>,
        { title: user.email },
      );
    },
  )
  .post(
    "/:id/role",
    requirePermission("users.manage"),
    validate("param", params),
    validate("form", roleForm),
    async (c) => {
      const { id } = c.req.valid("param");
      await changeRole(c.var.user(), id, c.req.valid("form").role, requestContext(c));
      return c.redirect(`/admin/users/${id}?notice=role_changed`, 303);
    },
  )
  .post(
    "/:id/ban",
    requirePermission("users.manage"),
    validate("param", params),
    validate("form", banForm),
    async (c) => {
      const { id } = c.req.valid("param");
      const { duration } = c.req.valid("form");
      await setBan(c.var.user(), id, duration, requestContext(c));
      return c.redirect(`/admin/users/${id}?notice=${duration === "none" ? "unbanned" : "banned"}`, 303);
    },
  );
