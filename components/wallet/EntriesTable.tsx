/** A wallet statement as a table: date, type, details and the signed amount in tomans. */
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { LedgerEntry } from "../../lib/wallet/entries.ts";
import { entryDescription } from "../../lib/wallet/vocabulary.ts";
import { SignedAmount } from "./SignedAmount.tsx";

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function EntriesTable(
  { t, locale, entries, caption }: { t: Translate; locale: Locale; entries: LedgerEntry[]; caption: string },
) {
  return (
    <div class="table-wrap">
      <table class="table wallet-entries">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("wallet.column.date")}</th>
            <th scope="col">{t("wallet.column.kind")}</th>
            <th scope="col">{t("wallet.column.description")}</th>
            <th scope="col" class="num">{t("wallet.column.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr data-transaction={entry.transactionId}>
              <td>{formatDate(entry.createdAt, locale, { time: true })}</td>
              <td>{t(`wallet.kind.${entry.kind}` as MessageKey)}</td>
              <td>{entryDescription(entry) ?? ""}</td>
              <td class="num">
                <SignedAmount rials={entry.amount} locale={locale} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
