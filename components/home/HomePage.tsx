/** The product's home page: what Pishkhan does, and a live amount preview (an island). */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { AmountPreviewIsland } from "../islands.ts";

const FEATURES = ["wallet", "payments", "support", "notify", "admin", "data"] as const;

export function HomePage({ t, locale }: { t: (key: MessageKey) => string; locale: "fa" | "en" }) {
  return (
    <>
      <section class="hero">
        <p class="eyebrow">{t("app.tagline")}</p>
        <h1>{t("home.title")}</h1>
        <p class="lead">{t("home.lead")}</p>
        <p class="actions">
          <a class="button" href="/signin">{t("home.cta.signin")}</a>
          <a class="button button-ghost" href="#features">{t("home.cta.learn")}</a>
        </p>
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
