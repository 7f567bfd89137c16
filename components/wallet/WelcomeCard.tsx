/**
 * The first-time welcome on the wallet (shown once per account, see public.take_welcome): what to do next —
 * top up, add a phone number so people can pay you by it — each step a link.
 */
import type { Translate } from "../ui/types.ts";

export function WelcomeCard({ t, hasPhone }: { t: Translate; hasPhone: boolean }) {
  return (
    <section class="card welcome-card" aria-labelledby="welcome-title" data-welcome>
      <h2 id="welcome-title">{t("wallet.welcome.title")}</h2>
      <p>{t("wallet.welcome.lead")}</p>
      <ol class="welcome-steps">
        <li>
          <a href="/wallet/topup">{t("wallet.welcome.topup")}</a>
          <span class="hint">{t("wallet.welcome.topupHint")}</span>
        </li>
        <li>
          {hasPhone
            ? <span>{t("wallet.welcome.phoneDone")}</span>
            : <a href="/profile#field-phone">{t("wallet.welcome.phone")}</a>}
          <span class="hint">{t("wallet.welcome.phoneHint")}</span>
        </li>
      </ol>
    </section>
  );
}
