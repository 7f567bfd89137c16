/**
 * The in-app notification center as its owner sees it (RLS: a user reads and marks only their own rows):
 * keyset pages newest first, the unread count, mark-as-read (some or all), and one row by id for the live
 * bell. Rows are made by `notifications.emit` in SQL, never here.
 */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";
import { decodeCursor, encodeCursor, pageSize } from "../wallet/cursor.ts";

export interface InAppNotification {
  id: string;
  category: string;
  event: string;
  title: string;
  body: string;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
}

export interface InboxPage {
  items: InAppNotification[];
  unreadCount: number;
  nextCursor: string | null;
}

const COLUMNS = ["id", "category", "event", "title", "body", "link", "read_at", "created_at"] as const;

type Row = Pick<Selectable<DB["notifications"]>, typeof COLUMNS[number]>;

function toNotification(row: Row): InAppNotification {
  return {
    id: String(row.id),
    category: row.category,
    event: row.event,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.read_at === null ? null : new Date(row.read_at),
    createdAt: new Date(row.created_at),
  };
}

/** A link is followed only when it stays on this site (a path), never to another origin. */
export function safeLink(link: string | null): string | null {
  return link && /^\/(?![/\\])/.test(link) ? link : null;
}

/** The caller's notifications, newest first; the cursor is the last id shown. */
export async function listNotifications(
  tx: Tx,
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<InboxPage> {
  const limit = pageSize(options.limit);
  let query = tx.selectFrom("notifications").select(COLUMNS).where("user_id", "=", userId);
  if (options.cursor) query = query.where("id", "<", decodeCursor(options.cursor, 1)[0]);
  const rows = await query.orderBy("id", "desc").limit(limit + 1).execute() as Row[];
  const items = rows.slice(0, limit).map(toNotification);
  const last = items.at(-1);
  return {
    items,
    unreadCount: await unreadCount(tx, userId),
    nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
  };
}

/** How many of the caller's notifications are unread (the bell's number). */
export async function unreadCount(tx: Tx, userId: string): Promise<number> {
  const row = await tx.selectFrom("notifications").select(sql<number>`count(*)::int`.as("n"))
    .where("user_id", "=", userId).where("read_at", "is", null).executeTakeFirstOrThrow();
  return row.n;
}

/** Marks the given notifications (or all of them) read; returns how many changed. Others' ids match nothing. */
export async function markRead(
  tx: Tx,
  userId: string,
  which: { ids: readonly string[] } | { all: true },
): Promise<number> {
  let query = tx.updateTable("notifications").set({ read_at: sql`now()` }).where("user_id", "=", userId)
    .where("read_at", "is", null);
  if ("ids" in which) {
    if (which.ids.length === 0) return 0;
    query = query.where("id", "in", [...which.ids]);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One notification as the caller may see it (RLS), or undefined (the live bell re-reads announced ids). */
export async function visibleNotification(tx: Tx, id: string): Promise<InAppNotification | undefined> {
  if (!/^[1-9]\d{0,18}$/.test(id)) return undefined;
  const row = await tx.selectFrom("notifications").select(COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? toNotification(row as Row) : undefined;
}
