/**
 * A template's preview with sample data (the staff editor, on the server and in its island): the text as
 * rendered, the variables it uses that the event does not declare, and for SMS its length in segments.
 * Pure: the browser bundle imports it.
 */
import { type Locale, renderTemplate, templateVariables } from "./render.ts";
import { type SmsLength, smsLength } from "./segments.ts";

/** Sample values per variable name (amounts are rials). */
const SAMPLE: Record<string, string> = {
  amount: "12500000",
  payment_id: "1042",
  ref_id: "201230",
  sender: "Maryam Ahmadi",
  transaction_id: "7781",
  withdrawal_id: "311",
  reason: "IBAN mismatch",
  ticket_id: "58",
  number: "T-000058",
  subject: "Top-up not credited",
  status: "resolved",
  email: "user@example.com",
  ip: "5.160.0.1",
  user_agent: "Firefox on Android",
  role: "agent",
  body: "…",
  count: "3",
  items: "…",
};

export function sampleData(variables: readonly string[]): Record<string, string> {
  return Object.fromEntries(variables.map((name) => [name, SAMPLE[name] ?? name]));
}

export interface TemplatePreview {
  subject: string;
  body: string;
  /** Placeholders that are not variables of the event. */
  unknown: string[];
  /** For SMS (and WhatsApp) bodies. */
  sms?: SmsLength;
}

export function previewTemplate(
  text: { subject: string; body: string },
  variables: readonly string[],
  channel: string,
  locale: Locale,
): TemplatePreview {
  const data = sampleData(variables);
  const used = [...templateVariables(text.subject), ...templateVariables(text.body)];
  const body = renderTemplate(text.body, data, locale);
  return {
    subject: renderTemplate(text.subject, data, locale),
    body,
    unknown: [...new Set(used.filter((name) => !variables.includes(name)))],
    ...(channel === "sms" || channel === "whatsapp" ? { sms: smsLength(body) } : {}),
  };
}
