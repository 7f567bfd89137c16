/**
 * An audit entry's details in the reader's language: each known metadata key by its label, amounts in tomans,
 * ids in the locale's digits, roles, statuses, sign-in methods and outcomes translated. Machine text (bank
 * references, authorities, key prefixes) stays as it is in a left-to-right isolate, what people wrote (reasons,
 * names) in an auto-direction one; a key this version does not know is shown as it was recorded.
 */
import type { ComponentChildren } from "preact";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { Locale } from "../../lib/i18n/mod.ts";
import { formatId, formatToman } from "../../lib/i18n/format.ts";

type Translate = (key: MessageKey) => string;

const LABELS: Record<string, MessageKey> = {
  method: "audit.detail.method",
  purpose: "audit.detail.purpose",
  reason: "audit.detail.reason",
  outcome: "audit.detail.outcome",
  via: "audit.detail.via",
  scope: "audit.detail.scope",
  duration: "audit.detail.duration",
  from: "audit.detail.from",
  to: "audit.detail.to",
  number: "audit.detail.number",
  amount: "audit.detail.amount",
  transaction_id: "audit.detail.transaction",
  withdrawal_id: "audit.detail.withdrawal",
  request_id: "audit.detail.request",
  payment_id: "audit.detail.payment",
  refund_id: "audit.detail.refund",
  replaced_by: "audit.detail.replacedBy",
  bank_reference: "audit.detail.bankReference",
  authority: "audit.detail.authority",
  ref_id: "audit.detail.refId",
  name: "audit.detail.name",
  prefix: "audit.detail.prefix",
  account: "audit.detail.account",
  scopes: "audit.detail.scopes",
};

/** Recorded words (methods, outcomes, roles, statuses, durations) and their labels. */
const WORDS: Record<string, MessageKey> = {
  password: "audit.value.password",
  otp: "audit.value.otp",
  link: "audit.value.link",
  oauth: "audit.value.oauth",
  password_change: "audit.value.password_change",
  reauthentication: "audit.value.reauthentication",
  existing_account: "audit.value.existing_account",
  signed_in: "audit.value.signed_in",
  confirmation_sent: "audit.value.confirmation_sent",
  profile: "audit.value.profile",
  recovery: "audit.value.recovery",
  local: "audit.value.local",
  global: "audit.value.global",
  mismatch: "audit.value.mismatch",
  invalid_credentials: "audit.value.invalid_credentials",
  "24h": "admin.ban.24h",
  "7d": "admin.ban.7d",
  "30d": "admin.ban.30d",
  permanent: "admin.ban.permanent",
  user: "role.user",
  agent: "role.agent",
  finance: "role.finance",
  auditor: "role.auditor",
  admin: "role.admin",
  open: "tickets.staff.status.open",
  pending: "tickets.staff.status.pending",
  resolved: "tickets.staff.status.resolved",
  closed: "tickets.staff.status.closed",
  reopened: "tickets.staff.status.reopened",
};

const IDS = new Set([
  "transaction_id",
  "withdrawal_id",
  "request_id",
  "payment_id",
  "refund_id",
  "replaced_by",
]);
const MACHINE = new Set(["bank_reference", "authority", "ref_id", "prefix", "account", "scopes", "number"]);
const WRITTEN = new Set(["name"]);

function value(t: Translate, locale: Locale, key: string, raw: unknown): ComponentChildren {
  if (raw === null || raw === undefined || raw === "") return "—";
  const text = Array.isArray(raw) ? raw.join(", ") : String(raw);
  if (key === "amount" && /^-?\d+$/.test(text)) return formatToman(BigInt(text), locale);
  if (IDS.has(key) && /^\d+$/.test(text)) return formatId(text, locale);
  if (MACHINE.has(key) || !LABELS[key]) return <bdi dir="ltr">{text}</bdi>;
  if (WORDS[text] && !WRITTEN.has(key)) return t(WORDS[text]);
  return <bdi dir="auto">{text}</bdi>;
}

export function AuditDetails(
  { t, locale, metadata }: { t: Translate; locale: Locale; metadata: Record<string, unknown> | null },
) {
  const entries = Object.entries(metadata ?? {});
  if (!entries.length) return null;
  return (
    <ul class="audit-details">
      {entries.map(([key, raw]) => (
        <li key={key}>
          {LABELS[key] ? t(LABELS[key]) : <bdi dir="ltr">{key}</bdi>}: {value(t, locale, key, raw)}
        </li>
      ))}
    </ul>
  );
}
