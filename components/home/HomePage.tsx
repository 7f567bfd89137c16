/**
 * The home page, for customers: what the wallet does for them and a clear way in — create an account or sign
 * in; once signed in, who they are and the way to their wallet — and a live amount preview (an island).
 */
import type { Translate } from "../ui/types.ts";
import type { Viewer } from "../../lib/auth/viewer.ts";
import { AmountPreviewIsland } from "../islands.ts";

const FEATURES = ["topup", "transfer", "withdraw", "support"] as const;

export function HomePage({ t, locale, viewer }: { t: Translate; locale: "fa" | "en"; viewer?: Viewer }) {
  return (
    <>
      <section class="hero">
        <p class="eyebrow">{t("app.tagline")}</p>
        <h1>{t("home.title")}</h1>
        <p class="lead">{t("home.lead")}</p>
        {viewer
          ? (
            <div class="signed-in" data-signed-in>
              <p>
                {t("home.signedIn", { email: "\u2068" + viewer.email + "\u2069" })}
              </p>
              <p class="actions">
                <a class="button" href="/wallet">{t("home.cta.wallet")}</a>
                <a class="button button-ghost" href="/tickets">{t("home.cta.support")}</a>
              </p>
            </div>
          )
          : (
            <p class="actions">
              <a class="button" href="/auth/signup">{t("home.cta.signup")}</a>
              <a class="button button-ghost" href="/signin">{t("home.cta.signin")}</a>
              <a href="#features">{t("home.cta.learn")}</a>
            </p>
          )}
      </section>
      <section id="features" aria-labelledby="features-title">
        <h2 id="features-title">{t("home.features.title")}</h2>
        <ul class="feature-grid">
          {FEATURES.map((name) => (
            <li class="card">
              <h3>{t(`home.feature.${name}.title`)}</h3>
              <p>{t(`home.feature.${name}.body`)}</p>
            </li>
          ))}
        </ul>
      </section>
      <section class="card preview" aria-labelledby="preview-title">
        <h2 id="preview-title">{t("home.preview.title")}</h2>
        <AmountPreviewIsland
          locale={locale}
          label={t("home.preview.label")}
          rialsTemplate={t("home.preview.rials")}
          invalidText={t("home.preview.invalid")}
          noJsText={t("home.preview.nojs")}
        />
      </section>
    </>
  );
}
