/** A user's staff page: account facts, the role and ban forms (users.manage), recent activity (audit.view). */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { UserDetail } from "../../lib/users/admin.ts";
import type { AuditRow } from "../../lib/audit/query.ts";
import { Notice } from "../ui/Notice.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";
import { AuditTable } from "../audit/AuditTable.tsx";
import { UserActions } from "./UserActions.tsx";
import { UserStatus } from "./UserStatus.tsx";
import { type UserLink, UserLinks } from "./UserLinks.tsx";

export interface UserPageProps extends PageProps {
  user: UserDetail;
  notice?: string;
  /** The forms, when the viewer may manage users; `self` when it is the viewer's own account. */
  manage?: { self: boolean };
  /** Recent audit entries about the user, when the viewer may read the audit log. */
  activity?: AuditRow[];
  /** Links to the user's wallet, payments, withdrawals and audit trail that the viewer may open. */
  links?: UserLink[];
}

export function UserPage({ t, locale, user, notice, manage, activity, links = [] }: UserPageProps) {
  const date = (d: Date | null) => d ? formatDate(d, locale, { time: true }) : t("admin.user.never");
  return (
    <>
      <Breadcrumbs t={t}>
        <a href="/admin/users">{t("admin.users.title")}</a>
      </Breadcrumbs>
      <h1 class="ltr-inline">{user.email}</h1>
      <Notice kind="success" text={notice && t(`admin.user.notice.${notice}` as MessageKey)} />
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
      <UserLinks t={t} links={links} />
      {manage && <UserActions t={t} user={user} self={manage.self} />}
      {activity && (
        <section aria-labelledby="activity-title">
          <h2 id="activity-title">{t("admin.user.activity")}</h2>
          <AuditTable t={t} locale={locale} entries={activity} caption={t("admin.user.activity")} />
        </section>
      )}
    </>
  );
}
