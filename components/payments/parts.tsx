/** Pieces the user and staff payment pages share: status labels and badges, gateway reasons in the user's language. */
import { en } from "../../lib/i18n/en.ts";
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import type { Payment } from "../../lib/payments/store.ts";
import { numberFormat } from "../../lib/i18n/format.ts";

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** What a person should read for a payment: cancelled and "needs review" are shown apart from failed/pending. */
export function displayStatus(p: Pick<Payment, "status" | "failureReason" | "needsReview">) {
  if (p.status === "failed" && p.failureReason === "cancelled") return "cancelled";
  if (p.status === "pending" && p.needsReview) return "review";
  return p.status;
}

const BADGE: Record<ReturnType<typeof displayStatus>, string> = {
  pending: "badge badge-warning",
  review: "badge badge-warning",
  verified: "badge",
  failed: "badge badge-danger",
  cancelled: "badge badge-muted",
  expired: "badge badge-muted",
  refunded: "badge badge-muted",
};

export function StatusBadge({ t, payment }: { t: Translate; payment: Parameters<typeof displayStatus>[0] }) {
  const status = displayStatus(payment);
  return <span class={BADGE[status]} data-status={status}>{t(`payments.status.${status}`)}</span>;
}

/** Zarinpal's result code explained in the user's language (never the gateway's English text). */
export function gatewayReason(t: Translate, code: number | null): string {
  const key = `payments.code.${code}`;
  return key in en ? t(key as MessageKey) : t("payments.code.unknown", { code: code ?? "—" });
}

/** Why a payment did not go through, for the payer. */
export function failureText(t: Translate, p: Pick<Payment, "failureReason" | "failureCode">): string {
  if (p.failureReason === "gateway_unavailable") return t("payments.code.unavailable");
  return gatewayReason(t, p.failureCode);
}

/** A bank reference number in the locale's digits, without grouping (people read it out or copy it). */
export function referenceText(refId: string, locale: Locale): string {
  return numberFormat(locale === "fa" ? "fa-IR" : "en-US", { useGrouping: false }).format(BigInt(refId));
}
