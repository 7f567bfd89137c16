/**
 * One transaction's receipt: amount, time, kind, the other side of a transfer, the note, the transaction
 * reference, and for a top-up the Zarinpal reference (ref_id) and masked card. Printable (the print stylesheet
 * keeps only the receipt), with copy/share/print actions when JavaScript runs.
 */
import type { ComponentChildren } from "preact";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { LedgerEntry } from "../../lib/wallet/entries.ts";
import type { Counterparty } from "../../lib/wallet/counterparties.ts";
import { entryDescription, transactionReference } from "../../lib/wallet/vocabulary.ts";
import type { Payment } from "../../lib/payments/store.ts";
import { referenceText } from "../payments/parts.tsx";
import { ReceiptActionsIsland } from "../islands.ts";
import type { I18n } from "../ui/types.ts";
import { CounterpartyText, UserText } from "./EntriesTable.tsx";
import { SignedAmount } from "./SignedAmount.tsx";

export interface ReceiptPageProps extends I18n {
  entry: LedgerEntry;
  counterparty?: Counterparty;
  /** The top-up behind this transaction, when it is one the reader may see. */
  payment?: Pick<Payment, "id" | "refId" | "cardPan">;
  /** Where "back" goes: the customer's wallet or the staff wallet page. */
  back: { href: string; label: string };
  /** The payment page's address for the reader (none: no link). */
  paymentHref?: string;
}

function Fact({ term, id, children }: { term: string; id?: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{term}</dt>
      <dd id={id}>{children}</dd>
    </>
  );
}

export function ReceiptPage(props: ReceiptPageProps) {
  const { t, locale, entry, counterparty, payment } = props;
  const reference = transactionReference(entry.transactionId);
  const note = entryDescription(entry);
  return (
    <section class="card narrow stack receipt" data-transaction={entry.transactionId}>
      <h1>{t("wallet.receipt.title")}</h1>
      <p class="muted no-print">{t("wallet.receipt.lead")}</p>
      <dl class="facts receipt-facts">
        <Fact term={t("wallet.column.amount")} id="receipt-amount">
          <SignedAmount rials={entry.amount} locale={locale} />
        </Fact>
        <Fact term={t("wallet.receipt.time")} id="receipt-time">
          {formatDate(entry.createdAt, locale, { time: true })}
        </Fact>
        <Fact term={t("wallet.column.kind")} id="receipt-kind">
          {t(`wallet.kind.${entry.kind}` as MessageKey)}
        </Fact>
        {counterparty && (
          <Fact term={t("wallet.receipt.counterparty")} id="receipt-counterparty">
            <CounterpartyText t={t} who={counterparty} incoming={entry.amount > 0n} />
          </Fact>
        )}
        {note && (
          <Fact term={t("wallet.transfer.noteLabel")} id="receipt-note">
            <UserText text={note} />
          </Fact>
        )}
        <Fact term={t("wallet.receipt.reference")}>
          <bdi dir="ltr" class="reference" id="receipt-reference">{reference}</bdi>
        </Fact>
        {payment && (
          <>
            <Fact term={t("wallet.receipt.refId")} id="receipt-ref-id">
              <bdi dir="ltr">{payment.refId ? referenceText(payment.refId, locale) : "—"}</bdi>
            </Fact>
            <Fact term={t("wallet.receipt.card")} id="receipt-card">
              <bdi dir="ltr">{payment.cardPan ?? "—"}</bdi>
            </Fact>
          </>
        )}
      </dl>
      <ReceiptActionsIsland
        reference={reference}
        title={`${t("wallet.receipt.title")} ${reference}`}
        labels={{
          copy: t("wallet.receipt.copy"),
          copied: t("wallet.receipt.copied"),
          share: t("wallet.receipt.share"),
          print: t("wallet.receipt.print"),
        }}
      />
      <p class="actions no-print">
        <a href={props.back.href}>{props.back.label}</a>
        {payment && props.paymentHref && <a href={props.paymentHref}>{t("wallet.receipt.payment")}</a>}
      </p>
    </section>
  );
}
