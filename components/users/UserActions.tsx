/** Forms on a user's admin page: change the role, ban for a while or for good, lift a ban. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { BAN_DURATIONS, ROLES, type UserDetail } from "../../lib/users/admin.ts";
import { SelectField } from "../forms/Field.tsx";

export function UserActions(
  { t, user, self }: { t: (key: MessageKey) => string; user: UserDetail; self: boolean },
) {
  if (self) return <p class="alert alert-info">{t("admin.user.self")}</p>;
  const banned = !!user.banned_until && user.banned_until.getTime() > Date.now();
  return (
    <div class="user-actions">
      <form method="post" action={`/admin/users/${user.id}/role`} class="card">
        <h2>{t("admin.user.roleTitle")}</h2>
        <SelectField
          name="role"
          label={t("admin.users.role")}
          value={user.role}
          options={ROLES.map((role) => ({ value: role, label: t(`role.${role}` as MessageKey) }))}
        />
        <div class="form-actions">
          <button type="submit">{t("admin.user.roleSubmit")}</button>
        </div>
      </form>
      <form method="post" action={`/admin/users/${user.id}/ban`} class="card">
        <h2>{t("admin.user.banTitle")}</h2>
        {banned
          ? (
            <>
              <p>{t("admin.user.bannedNow")}</p>
              <input type="hidden" name="duration" value="none" />
              <div class="form-actions">
                <button type="submit" class="button-ghost">{t("admin.user.unbanSubmit")}</button>
              </div>
            </>
          )
          : (
            <>
              <SelectField
                name="duration"
                label={t("admin.user.banDuration")}
                hint={t("admin.user.banHint")}
                value="24h"
                options={Object.keys(BAN_DURATIONS).map((d) => ({
                  value: d,
                  label: t(`admin.ban.${d}` as MessageKey),
                }))}
              />
              <div class="form-actions">
                <button type="submit" class="button button-danger">{t("admin.user.banSubmit")}</button>
              </div>
            </>
          )}
      </form>
    </div>
  );
}
