/** Reads the audit log for staff with `audit.view` (RLS decides), newest first, keyset by id. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";

/** A row of public.audit_log as shown to staff: the address as text (host(ip)), metadata as an object. */
export type AuditRow = Omit<Selectable<DB["audit_log"]>, "metadata"> & { metadata: Record<string, unknown> };

export interface AuditFilters {
  /** An email (exact, case-insensitive) or a user id. */
  actor?: string;
  action?: string;
  /** The user id or email an action was about. */
  target?: string;
  /** Calendar days (YYYY-MM-DD) in Tehran time, both inclusive. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  entries: AuditRow[];
  /** The id to continue after, when there may be more. */
  next?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every column, newest first; `ip` is an inet, shown as its host address. */
function auditEntries(tx: Tx) {
  return tx.selectFrom("audit_log")
    .select([
      "id",
      "occurred_at",
      "actor_id",
      "actor_email",
      "action",
      "target_type",
      "target_id",
      sql<string | null>`host(ip)`.as("ip"),
      "user_agent",
      "request_id",
      "metadata",
    ])
    .orderBy("audit_log.id", "desc")
    .$castTo<AuditRow>();
}

/** A Tehran calendar day (YYYY-MM-DD) plus `days`, as the instant its midnight is. */
export const tehranMidnight = (day: string, days = 0) =>
  sql<Date>`(${day}::date + ${days}::integer)::timestamp at time zone 'Asia/Tehran'`;

/** One page of entries matching `filters`, newest first. */
export async function listAuditEntries(
  tx: Tx,
  filters: AuditFilters,
  options: { after?: string; pageSize?: number } = {},
): Promise<AuditPage> {
  const size = Math.min(Math.max(options.pageSize ?? 50, 1), 200);
  let query = auditEntries(tx).limit(size + 1);
  if (filters.actor) {
    query = UUID.test(filters.actor)
      ? query.where("actor_id", "=", filters.actor)
      : query.where("actor_email", "=", filters.actor.toLowerCase());
  }
  if (filters.action) query = query.where("action", "=", filters.action);
  if (filters.target) query = query.where("target_id", "=", filters.target.toLowerCase());
  if (filters.from) query = query.where("occurred_at", ">=", tehranMidnight(filters.from));
  if (filters.to) query = query.where("occurred_at", "<", tehranMidnight(filters.to, 1));
  if (options.after) query = query.where("id", "<", options.after);
  const rows = await query.execute();
  const entries = rows.slice(0, size);
  return { entries, next: rows.length > size ? entries.at(-1)?.id : undefined };
}

/** Recent entries about a user or by them (the user detail page). */
export async function recentEntriesFor(tx: Tx, userId: string, limit = 20): Promise<AuditRow[]> {
  return await auditEntries(tx)
    .where((eb) =>
      eb.or([
        eb.and([eb("target_type", "=", "user"), eb("target_id", "=", userId)]),
        eb("actor_id", "=", userId),
      ])
    )
    .limit(limit)
    .execute();
}
