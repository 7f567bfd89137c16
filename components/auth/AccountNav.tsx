/** Header links for the account: sign in, or profile, admin (when permitted) and sign out. */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { can, type Viewer } from "../../lib/auth/viewer.ts";
import { displayPhone } from "../../lib/users/phone.ts";

export function AccountNav(
  { t, path, viewer }: { t: (key: MessageKey) => string; path: string; viewer?: Viewer },
) {
  if (!viewer) {
    return path === "/signin" ? null : <a href="/signin" class="button button-ghost">{t("nav.signin")}</a>;
  }
  const current = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`) ? "page" : undefined;
  return (
    <>
      {can(viewer, "admin.access") && <a href="/admin" aria-current={current("/admin")}>{t("nav.admin")}</a>}
      <a href="/profile" aria-current={current("/profile")} class="account-link">
        <span class="visually-hidden">{t("nav.profile")}:</span>
        <span class="account-email" dir="ltr">
          {viewer.email || (viewer.phone ? displayPhone(`+${viewer.phone}`) : t("nav.profile"))}
        </span>
      </a>
      <form method="post" action="/auth/signout" class="signout-form">
        <input type="hidden" name="scope" value="local" />
        <button type="submit" class="button button-ghost button-small">{t("nav.signout")}</button>
      </form>
    </>
  );
}
