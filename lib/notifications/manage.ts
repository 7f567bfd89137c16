/**
 * Staff actions on notifications, each with its audit entry in the same transaction: the SQL runs as the
 * staff member (RLS and the functions check `notifications.manage` / `broadcasts.send`), then the entry is
 * appended as service_role.
 */
import { asUser, type Claims } from "../db/client.ts";
import { type AuditAction, auditActor, recordAuditAsService, type RequestContext } from "../audit/record.ts";
import { changeBroadcast } from "./broadcasts.ts";
import { requeueMessages, updateTemplate } from "./staff.ts";

/** Edits a template (subject and body), audited as notifications.template_update. */
export async function updateTemplateAudited(
  claims: Claims,
  key: { event: string; channel: string; locale: string },
  text: { subject: string; body: string },
  unknownVariables: readonly string[],
  context: RequestContext,
): Promise<void> {
  await asUser(claims, async (tx) => {
    await updateTemplate(tx, key, text, unknownVariables);
    await recordAuditAsService(tx, {
      action: "notifications.template_update",
      actor: auditActor(claims),
      target: { type: "notification_template", id: `${key.event}/${key.channel}/${key.locale}` },
      metadata: { subject: text.subject, body: text.body },
    }, context);
  });
}

/** Re-queues dead / failed / bounced messages, audited as notifications.requeue; returns how many. */
export async function requeueAudited(claims: Claims, ids: readonly string[], context: RequestContext) {
  return await asUser(claims, async (tx) => {
    const count = await requeueMessages(tx, ids);
    await recordAuditAsService(tx, {
      action: "notifications.requeue",
      actor: auditActor(claims),
      metadata: { ids, requeued: count },
    }, context);
    return count;
  });
}

const BROADCAST_AUDIT: Record<"start" | "pause" | "cancel", AuditAction> = {
  start: "broadcasts.start",
  pause: "broadcasts.pause",
  cancel: "broadcasts.cancel",
};

/** Starts (or resumes), pauses or cancels a broadcast, audited. */
export async function changeBroadcastAudited(
  claims: Claims,
  id: string,
  action: "start" | "pause" | "cancel",
  context: RequestContext,
): Promise<void> {
  await asUser(claims, async (tx) => {
    await changeBroadcast(tx, id, action);
    await recordAuditAsService(tx, {
      action: BROADCAST_AUDIT[action],
      actor: auditActor(claims),
      target: { type: "broadcast", id },
    }, context);
  });
}
