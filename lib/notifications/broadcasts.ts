/**
 * Broadcasts for staff with `broadcasts.send`, through part 1's SQL API (every function checks the
 * permission): segments, the recipient count, save a draft, start / pause / cancel, and the progress bar's
 * numbers. The dispatcher sends the rows at most `rate_per_minute` per channel; preferences apply (category
 * `broadcasts`).
 */
import { type Selectable, sql } from "kysely";
import { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";
import { notificationErrors } from "./errors.ts";
import { percentDone, type Progress } from "./progress.ts";

export type { Progress };

export type BroadcastRow = Selectable<DB["broadcasts"]>;
export const BROADCAST_CHANNELS = ["in_app", "email", "sms", "whatsapp"] as const;
export const SEGMENT_KINDS = [
  "all",
  "role",
  "balance_at_least",
  "inactive_days",
  "department_customers",
] as const;
export const ROLES = ["user", "agent", "finance", "auditor", "admin"] as const;

export const Segment = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("role"), role: z.enum(ROLES) }),
  z.object({ kind: z.literal("balance_at_least"), amount: z.string().regex(/^[0-9]{1,18}$/) }),
  z.object({ kind: z.literal("inactive_days"), days: z.number().int().min(1).max(3650) }),
  z.object({ kind: z.literal("department_customers"), department_id: z.number().int().min(1).max(32767) }),
]);
export type Segment = z.infer<typeof Segment>;

export interface BroadcastDraft {
  id?: string;
  title: string;
  segment: Segment;
  channels: string[];
  subject: { fa: string; en: string };
  body: { fa: string; en: string };
  ratePerMinute: number;
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::text::jsonb`;

export async function listBroadcasts(tx: Tx): Promise<BroadcastRow[]> {
  return await tx.selectFrom("broadcasts").selectAll().orderBy("id", "desc").limit(100).execute();
}

export async function getBroadcast(tx: Tx, id: string): Promise<BroadcastRow | undefined> {
  return await tx.selectFrom("broadcasts").selectAll().where("id", "=", id).executeTakeFirst();
}

/** How many users the segment reaches now. */
export async function countRecipients(tx: Tx, segment: Segment): Promise<number> {
  return await notificationErrors.mapping(async () => {
    const { rows } = await sql<{ n: string }>`
      select notifications.broadcast_recipients_count(${json(segment)})::text as n`.execute(tx);
    return Number(rows[0].n);
  });
}

/** Creates (no id) or edits a draft; returns its id. */
export async function saveBroadcast(tx: Tx, draft: BroadcastDraft): Promise<string> {
  return await notificationErrors.mapping(async () => {
    const { rows } = await sql<{ id: string }>`
      select notifications.save_broadcast(${draft.id ?? null}::bigint, ${draft.title}, ${json(draft.segment)},
        ${`{${draft.channels.join(",")}}`}::text[], ${json(draft.subject)}, ${json(draft.body)},
        ${draft.ratePerMinute}::integer)::text as id`.execute(tx);
    return rows[0].id;
  });
}

/** start (draft → sending, or resume a paused one), pause, cancel. */
export async function changeBroadcast(
  tx: Tx,
  id: string,
  action: "start" | "pause" | "cancel",
): Promise<void> {
  const call = {
    start: sql`notifications.start_broadcast(${id}::bigint)`,
    pause: sql`notifications.pause_broadcast(${id}::bigint)`,
    cancel: sql`notifications.cancel_broadcast(${id}::bigint)`,
  }[action];
  await notificationErrors.mapping(async () => {
    await sql`select id from ${call}`.execute(tx);
  });
}

export async function broadcastProgress(tx: Tx, broadcast: BroadcastRow): Promise<Progress> {
  return await notificationErrors.mapping(async () => {
    const { rows: [p] } = await sql<
      {
        recipients: number;
        total: string;
        sent: string;
        failed: string;
        remaining: string;
        cancelled: string;
      }
    >`select * from notifications.broadcast_progress(${broadcast.id}::bigint)`.execute(tx);
    const [total, sent, failed, remaining, cancelled] = [p.total, p.sent, p.failed, p.remaining, p.cancelled]
      .map(Number);
    const counts = { total, sent, failed, remaining, cancelled };
    return { recipients: p.recipients, ...counts, percent: percentDone(counts, broadcast.status) };
  });
}
