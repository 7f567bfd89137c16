/** Reads the audit log for staff with `audit.view` (RLS decides), newest first, keyset by id. */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";

export interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  metadata: Record<string, unknown>;
}

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

function conditions(filters: AuditFilters, after?: string) {
  const where = [sql`true`];
  if (filters.actor) {
    where.push(
      UUID.test(filters.actor)
        ? sql`actor_id = ${filters.actor}::uuid`
        : sql`actor_email = ${filters.actor.toLowerCase()}`,
    );
  }
  if (filters.action) where.push(sql`action = ${filters.action}`);
  if (filters.target) where.push(sql`target_id = ${filters.target.toLowerCase()}`);
  if (filters.from) {
    where.push(sql`occurred_at >= (${filters.from}::date)::timestamp at time zone 'Asia/Tehran'`);
  }
  if (filters.to) {
    where.push(sql`occurred_at < (${filters.to}::date + 1)::timestamp at time zone 'Asia/Tehran'`);
  }
  if (after) where.push(sql`id < ${after}::bigint`);
  return sql.join(where, sql` and `);
}

/** One page of entries matching `filters`, newest first. */
export async function listAuditEntries(
  tx: Tx,
  filters: AuditFilters,
  options: { after?: string; pageSize?: number } = {},
): Promise<AuditPage> {
  const size = Math.min(Math.max(options.pageSize ?? 50, 1), 200);
  const { rows } = await sql<AuditRow>`
    select id::text, occurred_at, actor_id, actor_email, action, target_type, target_id, host(ip) as ip,
           user_agent, request_id, metadata
    from public.audit_log
    where ${conditions(filters, options.after)}
    order by audit_log.id desc
    limit ${size + 1}`.execute(tx);
  const entries = rows.slice(0, size);
  return { entries, next: rows.length > size ? entries.at(-1)?.id : undefined };
}

/** Recent entries about a user or by them (the user detail page). */
export async function recentEntriesFor(tx: Tx, userId: string, limit = 20): Promise<AuditRow[]> {
  const { rows } = await sql<AuditRow>`
    select id::text, occurred_at, actor_id, actor_email, action, target_type, target_id, host(ip) as ip,
           user_agent, request_id, metadata
    from public.audit_log
    where (target_type = 'user' and target_id = ${userId}) or actor_id = ${userId}::uuid
    order by audit_log.id desc
    limit ${limit}`.execute(tx);
  return rows;
}
