/** A Sheba number (IBAN) as lists show it: left to right, with the name of its bank under it when known. */
import type { Locale } from "../../lib/i18n/mod.ts";
import { bankOf } from "../../lib/wallet/banks.ts";

export function IbanWithBank({ iban, locale }: { iban: string; locale: Locale }) {
  const bank = bankOf(iban);
  return (
    <>
      <bdi class="ltr-inline" dir="ltr">{iban}</bdi>
      {bank && <span class="bank-name" data-bank={bank.code}>{bank[locale]}</span>}
    </>
  );
}
