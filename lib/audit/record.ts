/** Appends entries to the append-only audit log (public.audit_log) through private.record_audit(). */
import { sql } from "kysely";
import { asService, type Claims, type Tx } from "../db/client.ts";

export const AUDIT_ACTIONS = [
  "auth.sign_up",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "auth.recovery_requested",
  "auth.password_change",
  "auth.phone_change",
  "users.role_change",
  "users.ban",
  "users.unban",
  "wallet.adjust",
  "wallet.adjustment_requested",
  "wallet.adjustment_approved",
  "wallet.adjustment_rejected",
  "wallet.summary_view",
  "withdrawals.first_approval",
  "withdrawals.approve",
  "withdrawals.reject",
  "payments.refund",
  "api_keys.create",
  "api_keys.rotate",
  "api_keys.revoke",
  "tickets.status_change",
  "notifications.template_update",
  "notifications.requeue",
  "broadcasts.start",
  "broadcasts.pause",
  "broadcasts.cancel",
] as const;
export type AuditAction = typeof AUDIT_ACTIONS[number];

/** Where a request came from; stored with every entry. */
export interface RequestContext {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export interface AuditEntry {
  action: AuditAction;
  actor?: { id: string; email?: string };
  target?: { type: "user" | "email" | "api_key" | "notification_template" | "broadcast"; id: string };
  metadata?: Record<string, unknown>;
}

/** The audit actor for verified claims: their user id and email. */
export function auditActor(claims: Claims): { id: string; email?: string } {
  return { id: String(claims.sub), email: typeof claims.email === "string" ? claims.email : undefined };
}

/** The JSON shape SQL functions take as their `context` argument. */
export function contextJson(context: RequestContext): string {
  return JSON.stringify({ ip: context.ip, user_agent: context.userAgent, request_id: context.requestId });
}

/** Appends one entry inside `tx` (which must run as service_role) and returns its id. */
export async function recordAudit(tx: Tx, entry: AuditEntry, context: RequestContext): Promise<string> {
  const [actorId, actorEmail] = [entry.actor?.id ?? null, entry.actor?.email ?? null];
  const [targetType, targetId] = [entry.target?.type ?? null, entry.target?.id ?? null];
  const [metadata, where] = [JSON.stringify(entry.metadata ?? {}), contextJson(context)];
  const { rows } = await sql<{ id: string }>`
    select private.record_audit(${entry.action}, ${actorId}::uuid, ${actorEmail}, ${targetType}, ${targetId},
      ${metadata}::text::jsonb, ${where}::text::jsonb)::text as id`.execute(tx);
  return rows[0].id;
}

/**
 * Appends one entry inside a transaction that ran as a staff member (asUser): switches it to service_role
 * first, the only role that may write the log, so the action and its entry commit together or not at all.
 */
export async function recordAuditAsService(
  tx: Tx,
  entry: AuditEntry,
  context: RequestContext,
): Promise<void> {
  await sql`select set_config('request.jwt.claims', '{"role":"service_role"}', true),
                   set_config('role', 'service_role', true)`.execute(tx);
  await recordAudit(tx, entry, context);
}

/** Appends one entry in its own service transaction (for events outside any other transaction). */
export async function audit(entry: AuditEntry, context: RequestContext): Promise<string> {
  return await asService((tx) => recordAudit(tx, entry, context));
}
