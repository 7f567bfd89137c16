/**
 * An amount in tomans with its direction: green "+" for money in, red "−" for money out. In Persian the sign
 * sits on the left of the digits as Intl's fa-IR formatting puts it (a left-to-right mark keeps it there).
 */
import type { Locale } from "../../lib/i18n/mod.ts";
import { formatToman } from "../../lib/i18n/format.ts";

export function SignedAmount({ rials, locale }: { rials: bigint; locale: Locale }) {
  const incoming = rials > 0n;
  const sign = rials === 0n ? "" : `${locale === "fa" ? "\u200e" : ""}${incoming ? "+" : "−"}`;
  return (
    <bdi
      dir={locale === "fa" ? "rtl" : "ltr"}
      class={rials === 0n ? "amount" : incoming ? "amount amount-in" : "amount amount-out"}
      data-rials={String(rials)}
    >
      {sign}
      {formatToman(incoming ? rials : -rials, locale)}
    </bdi>
  );
}
