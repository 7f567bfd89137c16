/**
 * What staff with `notifications.manage` read and do (RLS and the SQL functions check the permission again):
 * the delivery log with filters and keyset pages, one message with every attempt, the dead-letter queue and
 * its re-queue (`notifications.requeue_many`), success rates per channel, and the templates (read, edit).
 */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";
import { tehranMidnight } from "../audit/query.ts";
import { decodeCursor, encodeCursor } from "../wallet/cursor.ts";
import { notificationErrors } from "./errors.ts";

export const OUTBOX_CHANNELS = ["email", "sms", "whatsapp"] as const;
export const OUTBOX_STATUSES = [
  "held",
  "queued",
  "sending",
  "sent",
  "delivered",
  "failed",
  "bounced",
  "dead",
  "cancelled",
  "digested",
] as const;
export const PROVIDERS = ["resend", "smtp", "kavenegar", "smsir", "twilio"] as const;
export const TEMPLATE_CHANNELS = ["in_app", "email", "sms", "whatsapp"] as const;
export const LOCALES = ["fa", "en"] as const;

export type OutboxRow = Selectable<DB["notification_outbox"]>;
export type AttemptRow = Selectable<DB["notification_attempts"]>;
export type TemplateRow = Selectable<DB["notification_templates"]>;

export interface LogFilter {
  channel?: string;
  status?: string;
  provider?: string;
  /** A part of the address (case-insensitive). */
  recipient?: string;
  /** Tehran calendar days (YYYY-MM-DD), both included. */
  from?: string;
  to?: string;
  cursor?: string;
}

export interface LogPage {
  items: OutboxRow[];
  nextCursor: string | null;
}

const PAGE = 50;

/** The delivery log (outbox rows), newest first, filtered; keyset by id. */
export async function deliveryLog(tx: Tx, filter: LogFilter = {}): Promise<LogPage> {
  let query = tx.selectFrom("notification_outbox").selectAll();
  if (filter.channel) query = query.where("channel", "=", filter.channel);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.provider) query = query.where("provider", "=", filter.provider);
  if (filter.recipient) {
    const escaped = filter.recipient.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where(sql<boolean>`lower(recipient) like ${`%${escaped}%`}`);
  }
  if (filter.from) query = query.where("created_at", ">=", tehranMidnight(filter.from));
  if (filter.to) query = query.where("created_at", "<", tehranMidnight(filter.to, 1));
  if (filter.cursor) query = query.where("id", "<", decodeCursor(filter.cursor, 1)[0]);
  const rows = await query.orderBy("id", "desc").limit(PAGE + 1).execute();
  const items = rows.slice(0, PAGE);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > PAGE && last ? encodeCursor([String(last.id)]) : null };
}

/** One message and its attempts (oldest first), or undefined. */
export async function messageHistory(
  tx: Tx,
  id: string,
): Promise<{ message: OutboxRow; attempts: AttemptRow[] } | undefined> {
  const message = await tx.selectFrom("notification_outbox").selectAll().where("id", "=", id)
    .executeTakeFirst();
  if (!message) return undefined;
  const attempts = await tx.selectFrom("notification_attempts").selectAll().where("outbox_id", "=", id)
    .orderBy("id").execute();
  return { message, attempts };
}

/** Sends dead / failed / bounced messages again; returns how many were re-queued. */
export async function requeueMessages(tx: Tx, ids: readonly string[]): Promise<number> {
  return await notificationErrors.mapping(async () => {
    const { rows } = await sql<{ n: number }>`
      select notifications.requeue_many(${`{${ids.join(",")}}`}::bigint[]) as n`.execute(tx);
    return rows[0].n;
  });
}

export interface ChannelRate {
  channel: string;
  total: number;
  succeeded: number;
  failed: number;
  waiting: number;
  /** succeeded / (succeeded + failed), or null when nothing has finished. */
  rate: number | null;
}

/** Per channel since `since`: messages that reached the provider (sent, delivered) against those that failed. */
export async function channelRates(tx: Tx, since: Date): Promise<ChannelRate[]> {
  const { rows } = await sql<
    { channel: string; total: number; succeeded: number; failed: number; waiting: number }
  >`
    select channel, count(*)::int as total,
           count(*) filter (where status in ('sent', 'delivered'))::int as succeeded,
           count(*) filter (where status in ('failed', 'bounced', 'dead'))::int as failed,
           count(*) filter (where status in ('held', 'queued', 'sending'))::int as waiting
    from public.notification_outbox where created_at >= ${since}
    group by channel`.execute(tx);
  return OUTBOX_CHANNELS.map((channel) => {
    const row = rows.find((r) => r.channel === channel) ??
      { channel, total: 0, succeeded: 0, failed: 0, waiting: 0 };
    const finished = row.succeeded + row.failed;
    return { ...row, rate: finished ? row.succeeded / finished : null };
  });
}

export interface EventInfo {
  key: string;
  category: string;
  audience: string;
  variables: string[];
  description: string;
}

/** Every event with its variables, in the catalogue's order. */
export async function listEvents(tx: Tx): Promise<EventInfo[]> {
  return await tx.selectFrom("notification_events").select([
    "key",
    "category",
    "audience",
    "variables",
    "description",
  ])
    .orderBy("category").orderBy("key").execute();
}

/** The templates of every event (staff: RLS). */
export async function listTemplates(tx: Tx): Promise<TemplateRow[]> {
  return await tx.selectFrom("notification_templates").selectAll().orderBy("event").orderBy("channel")
    .orderBy("locale").execute();
}

export async function getTemplate(
  tx: Tx,
  key: { event: string; channel: string; locale: string },
): Promise<TemplateRow | undefined> {
  return await tx.selectFrom("notification_templates").selectAll().where("event", "=", key.event)
    .where("channel", "=", key.channel).where("locale", "=", key.locale).executeTakeFirst();
}

/** Saves a template's subject and body; refuses a variable the event does not declare. */
export async function updateTemplate(
  tx: Tx,
  key: { event: string; channel: string; locale: string },
  text: { subject: string; body: string },
  unknownVariables: readonly string[],
): Promise<void> {
  if (unknownVariables.length) {
    throw notificationErrors.refuse("notification_invalid_input", { variables: unknownVariables.join(",") });
  }
  const result = await tx.updateTable("notification_templates")
    .set({ subject: text.subject, body: text.body })
    .where("event", "=", key.event).where("channel", "=", key.channel).where("locale", "=", key.locale)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw notificationErrors.refuse("notification_unknown_event");
}
