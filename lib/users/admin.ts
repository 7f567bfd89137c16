/** Staff user management: list and detail (`users.view`), role changes and bans (`users.manage`), all audited. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { isBoundedYear } from "../http/schemas.ts";
import { enumValues } from "../db/enums.ts";
import type { DB } from "../db/types.ts";
import { contextJson, recordAudit, type RequestContext } from "../audit/record.ts";

/** public.app_role. */
export type Role = DB["user_roles"]["role"];
/** public.app_permission. */
export type Permission = DB["role_permissions"]["permission"];
/** Every role, least to most privileged (the role select lists them in this order). */
export const ROLES = enumValues<Role>()(["user", "agent", "finance", "auditor", "admin"]);

type ProfileRow = Selectable<DB["profiles"]>;

/** A row of private.list_users (a set-returning function, so not in the generated types; auth.users fields). */
export interface UserSummary {
  id: ProfileRow["id"];
  email: string;
  full_name: ProfileRow["full_name"];
  role: Role;
  created_at: Date;
  last_sign_in_at: Date | null;
  email_confirmed_at: Date | null;
  banned_until: Date | null;
}

/** A row of private.user_detail. */
export interface UserDetail extends UserSummary {
  phone: ProfileRow["phone"];
  locale: ProfileRow["locale"];
  providers: string[];
}

export interface UserPage {
  users: UserSummary[];
  /** Opaque cursor for the next page, when there may be one. */
  next?: string;
}

/** Cursors carry the exact timestamp text, so microseconds survive the round trip through the browser. */
function encodeCursor(createdAt: string, id: string): string {
  return btoa(JSON.stringify([createdAt, id])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  try {
    const [createdAt, id] = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
    // Postgres must read both back: a timestamp of year 1900..2999 and a real uuid, or no cursor at all.
    if (typeof createdAt !== "string" || !/^\d{4}-/.test(createdAt) || !isBoundedYear(createdAt)) {
      return undefined;
    }
    if (isNaN(Date.parse(createdAt))) return undefined;
    if (typeof id !== "string" || !UUID.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

/** One page of users, newest first, optionally matching `search` in email or name. */
export async function listUsers(
  tx: Tx,
  options: { search?: string; cursor?: string; pageSize?: number } = {},
): Promise<UserPage> {
  const size = Math.min(Math.max(options.pageSize ?? 25, 1), 100);
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const { rows } = await sql<UserSummary & { cursor_at: string }>`
    select *, created_at::text as cursor_at
    from private.list_users(${options.search?.trim() || null}, ${after?.createdAt ?? null}::text::timestamptz,
                            ${after?.id ?? null}::uuid, ${size + 1})`.execute(tx);
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    users: page.map(({ cursor_at: _, ...user }) => user),
    next: rows.length > size && last ? encodeCursor(last.cursor_at, last.id) : undefined,
  };
}

export async function getUserDetail(tx: Tx, id: string): Promise<UserDetail | undefined> {
  const { rows } = await sql<UserDetail>`select * from private.user_detail(${id}::uuid)`.execute(tx);
  return rows[0];
}

/** Makes `role` the user's role; the database checks `users.manage`, refuses self-changes and audits. */
export async function setUserRole(
  tx: Tx,
  target: string,
  role: Role,
  context: RequestContext,
): Promise<void> {
  const json = contextJson(context);
  await sql`select private.set_user_role(${target}::uuid, ${role}::public.app_role, ${json}::text::jsonb)`
    .execute(tx);
}

/** True when the transaction's user holds `permission` (public.authorize, the same check RLS makes). */
export async function holdsPermission(tx: Tx, permission: Permission): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    select public.authorize(${permission}::public.app_permission) as ok`.execute(tx);
  return rows[0].ok;
}

export const BAN_DURATIONS = { "24h": "24h", "7d": "168h", "30d": "720h", permanent: "876000h" } as const;
export type BanDuration = keyof typeof BAN_DURATIONS;

/** Audits a ban or unban that Auth has applied (`tx` runs as service_role). */
export async function auditBan(
  tx: Tx,
  actor: { id: string; email?: string },
  target: string,
  duration: BanDuration | "none",
  context: RequestContext,
): Promise<void> {
  await recordAudit(tx, {
    action: duration === "none" ? "users.unban" : "users.ban",
    actor,
    target: { type: "user", id: target },
    metadata: duration === "none" ? {} : { duration },
  }, context);
}

/** The emails of several users in one query (e.g. the requesters on a page of withdrawals), by id. */
export async function emailsByIds(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const { rows } = await sql<{ id: string; email: string }>`
    select u.id, u.email
    from unnest(string_to_array(${unique.join(",")}, ',')::uuid[]) as wanted(id)
    cross join lateral private.user_detail(wanted.id) u`.execute(tx);
  return new Map(rows.map((r) => [r.id, r.email]));
}
