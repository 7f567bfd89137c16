/**
 * The top-up form: preset amounts that fill the amount field (links, so they work without JavaScript; the
 * payment starts only with the pay button) and the amount in tomans within the gateway's limits.
 */
import { formatToman } from "../../lib/i18n/format.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { AmountField } from "../ui/AmountField.tsx";
import { Notice } from "../ui/Notice.tsx";
import type { I18n } from "../ui/types.ts";

export interface TopupPageProps extends I18n {
  balance: bigint;
  /** Preset amounts in tomans. */
  presets: bigint[];
  /** The gateway's limits, in rials. */
  limits: { min: bigint; max: bigint };
  value?: string;
  error?: MessageKey;
  problem?: string;
}

export function TopupPage({ t, locale, balance, presets, limits, value, error, problem }: TopupPageProps) {
  const range = { min: formatToman(limits.min, locale), max: formatToman(limits.max, locale) };
  return (
    <section class="card narrow stack">
      <h1>{t("payments.topup.title")}</h1>
      <p class="muted">{t("payments.topup.balance", { amount: formatToman(balance, locale) })}</p>
      <p>{t("payments.topup.lead")}</p>
      <Notice kind="error" text={problem} />
      <nav aria-labelledby="presets-title" class="topup-presets">
        <h2 id="presets-title">{t("payments.topup.presets")}</h2>
        <p class="actions">
          {presets.map((tomans) => (
            <a
              href={`/wallet/topup?tomans=${tomans}#topup-tomans`}
              class="button button-ghost"
              aria-current={value === String(tomans) ? "true" : undefined}
              data-preset={String(tomans)}
            >
              {formatToman(tomans * 10n, locale)}
            </a>
          ))}
        </p>
      </nav>
      <form method="post" action="/wallet/topup" aria-labelledby="custom-title" novalidate>
        <h2 id="custom-title">{t("payments.topup.custom")}</h2>
        <AmountField
          t={t}
          locale={locale}
          id="topup-tomans"
          label={t("payments.topup.amountLabel")}
          hint={t("payments.topup.limits", range)}
          value={value}
          error={error && t(error, range)}
          maxLength={20}
          autoFocus={!!error}
        />
        <div class="form-actions">
          <button type="submit" class="button">{t("payments.topup.submit")}</button>
          <a href="/wallet/payments">{t("payments.action.history")}</a>
        </div>
        <p class="hint">{t("payments.topup.redirectNote")}</p>
      </form>
    </section>
  );
}
