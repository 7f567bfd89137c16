/** "Check your email" after a sign-up, a magic link or a reset link was sent. */
import type { MessageKey } from "../../lib/i18n/mod.ts";

export function SentPage(
  { t, kind }: { t: (key: MessageKey) => string; kind: "signup" | "magic" | "recovery" },
) {
  return (
    <section class="card narrow auth-card" aria-labelledby="sent-title">
      <h1 id="sent-title">{t("auth.sent.title")}</h1>
      <p class="alert alert-success" role="status">{t(`auth.sent.body.${kind}`)}</p>
      <p>{t("auth.sent.hint")}</p>
      {kind !== "recovery" && (
        <p>
          <a href="/auth/code">{t("auth.sent.code")}</a>
        </p>
      )}
      <p>
        <a href="/signin">{t("auth.backToSignin")}</a>
      </p>
    </section>
  );
}
