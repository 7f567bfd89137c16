/**
 * Auth's Send SMS hook, server side (functions/auth-send-sms): checks the Standard Webhooks signature, writes
 * the code's text in the user's language and queues it as a CRITICAL SMS in the notifications outbox
 * (notifications.enqueue_sms, docs/notifications.md). The delivery (Kavenegar → SMS.ir for +98, Twilio
 * otherwise) is the outbox dispatcher's work, not this one's.
 */
import { sql } from "kysely";
import { z } from "zod";
import { asService, type Tx } from "../db/client.ts";
import { verifyWebhook } from "../auth/standard_webhooks.ts";
import { type Locale, translate } from "../i18n/mod.ts";
import { digest } from "../rate_limit/enforce.ts";

/** The part of GoTrue's hook payload this function reads (spec §2.5); the rest is passed over. */
export const SendSmsPayload = z.object({
  user: z.object({
    id: z.string().uuid(),
    phone: z.string().optional(),
    user_metadata: z.record(z.string(), z.unknown()).optional(),
  }).passthrough(),
  sms: z.object({
    otp: z.string().regex(/^\d{4,10}$/),
    phone: z.string().regex(/^[1-9]\d{1,14}$/),
    sms_type: z.string().optional(),
  }).passthrough(),
}).passthrough();
export type SendSmsPayload = z.infer<typeof SendSmsPayload>;

export interface QueuedSms {
  /** E.164 with the +. */
  phone: string;
  body: string;
  critical: boolean;
  dedupeKey: string;
}

/**
 * The one place an auth SMS enters the outbox: `notifications.enqueue_sms(phone, body, critical,
 * dedupe_key)` (docs/notifications.md, issue 15). Returns the outbox id.
 */
export async function queueSms(tx: Tx, sms: QueuedSms): Promise<number> {
  const { rows } = await sql<{ id: string | number }>`
    select notifications.enqueue_sms(${sms.phone}, ${sms.body}, ${sms.critical}, ${sms.dedupeKey}) as id`
    .execute(tx);
  return Number(rows[0].id);
}

/**
 * The user's language: their profile's locale, else what the app passed at sign-up (user_metadata.locale),
 * else Persian for an Iranian number and English otherwise. A brand-new user's profile is not visible yet:
 * Auth calls the hook inside the transaction that creates the user.
 */
async function localeFor(tx: Tx, payload: SendSmsPayload): Promise<Locale> {
  const { rows } = await sql<{ locale: string }>`
    select locale from public.profiles where id = ${payload.user.id}`.execute(tx);
  const chosen = rows[0]?.locale ?? payload.user.user_metadata?.locale;
  if (chosen === "fa" || chosen === "en") return chosen;
  return payload.sms.phone.startsWith("98") ? "fa" : "en";
}

/** The code's SMS text: the code in ASCII digits (phones offer it for autofill), the rest in `locale`. */
export function codeText(locale: Locale, otp: string): string {
  return translate(locale, "phone.sms.code", { code: otp });
}

/** Queues the code; a retried hook call (same number, same code) queues nothing new. */
export async function queueCode(payload: SendSmsPayload): Promise<number> {
  return await asService(async (tx) => {
    const locale = await localeFor(tx, payload);
    // Keys hold no code: a digest of number and code, so a retry of one send is one SMS.
    const dedupeKey = `auth-otp:${await digest(`${payload.sms.phone}|${payload.sms.otp}`)}`;
    return await queueSms(tx, {
      phone: `+${payload.sms.phone}`,
      body: codeText(locale, payload.sms.otp),
      critical: true,
      dedupeKey,
    });
  });
}

export type HookAnswer = { status: 200; outboxId: number } | { status: 400 | 401; reason: string };

/** Verifies and handles one hook request; forged, stale or unsigned calls queue nothing. */
export async function handleSendSmsHook(
  secrets: string[],
  headers: Headers,
  body: string,
): Promise<HookAnswer> {
  const check = await verifyWebhook(secrets, headers, body);
  if (!check.ok) return { status: 401, reason: check.reason };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { status: 400, reason: "not JSON" };
  }
  const payload = SendSmsPayload.safeParse(json);
  if (!payload.success) return { status: 400, reason: "not a Send SMS payload" };
  return { status: 200, outboxId: await queueCode(payload.data) };
}
