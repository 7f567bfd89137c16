/** "Continue with GitHub / Google": plain links that start the provider sign-in (PKCE) on the server. */
import { LANDING } from "../../lib/auth/fields.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";

export function OAuthButtons({ t, next }: { t: (key: MessageKey) => string; next: string }) {
  const query = next === LANDING ? "" : `?next=${encodeURIComponent(next)}`;
  return (
    <div class="oauth">
      <p class="divider">
        <span>{t("auth.or")}</span>
      </p>
      <ul class="oauth-list">
        <li>
          <a class="button button-ghost oauth-button" href={`/auth/oauth/github${query}`}>
            {t("auth.oauth.github")}
          </a>
        </li>
        <li>
          <a class="button button-ghost oauth-button" href={`/auth/oauth/google${query}`}>
            {t("auth.oauth.google")}
          </a>
        </li>
      </ul>
    </div>
  );
}
