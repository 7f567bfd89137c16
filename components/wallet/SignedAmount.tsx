/** An amount in tomans with its direction: green "+" for money in, red "−" for money out (isolated for RTL). */
import type { Locale } from "../../lib/i18n/mod.ts";
import { formatToman } from "../../lib/i18n/format.ts";

export function SignedAmount({ rials, locale }: { rials: bigint; locale: Locale }) {
  const incoming = rials > 0n;
  const magnitude = incoming ? rials : -rials;
  return (
    <bdi class={incoming ? "amount amount-in" : "amount amount-out"} data-rials={String(rials)}>
      {incoming ? "+" : "−"}
      {formatToman(magnitude, locale)}
    </bdi>
  );
}
