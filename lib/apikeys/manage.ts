/**
 * Staff actions on API keys, each with its audit entry in the same database transaction: the SQL function
 * runs as the staff member (it checks `api_keys.manage`), then the entry is appended as service_role. The
 * entry names the key by id and prefix, never the key.
 */
import { asUser, type Claims } from "../db/client.ts";
import { type AuditAction, auditActor, recordAuditAsService, type RequestContext } from "../audit/record.ts";
import { type ApiKeyScope, createApiKey, type NewApiKey, revokeApiKey, rotateApiKey } from "./store.ts";

function entry(claims: Claims, action: AuditAction, id: string, metadata: Record<string, unknown>) {
  return { action, actor: auditActor(claims), target: { type: "api_key" as const, id }, metadata };
}

/** `api_keys.manage`: makes a key, audited as api_keys.create. The result holds the key (show it once). */
export async function createApiKeyAudited(
  claims: Claims,
  input: { name: string; accountCode: string; scopes: readonly ApiKeyScope[] },
  context: RequestContext,
): Promise<NewApiKey> {
  return await asUser(claims, async (tx) => {
    const made = await createApiKey(tx, input);
    await recordAuditAsService(
      tx,
      entry(claims, "api_keys.create", made.id, {
        name: input.name,
        prefix: made.prefix,
        account: input.accountCode,
        scopes: input.scopes,
      }),
      context,
    );
    return made;
  });
}

/** `api_keys.manage`: a new key replacing key `id` (revoked), audited as api_keys.rotate. */
export async function rotateApiKeyAudited(
  claims: Claims,
  id: string,
  context: RequestContext,
): Promise<NewApiKey> {
  return await asUser(claims, async (tx) => {
    const made = await rotateApiKey(tx, id);
    await recordAuditAsService(
      tx,
      entry(claims, "api_keys.rotate", id, { replaced_by: made.id, prefix: made.prefix }),
      context,
    );
    return made;
  });
}

/** `api_keys.manage`: revokes key `id`, audited as api_keys.revoke; returns the key's prefix. */
export async function revokeApiKeyAudited(
  claims: Claims,
  id: string,
  context: RequestContext,
): Promise<string> {
  return await asUser(claims, async (tx) => {
    const prefix = await revokeApiKey(tx, id);
    await recordAuditAsService(tx, entry(claims, "api_keys.revoke", id, { prefix }), context);
    return prefix;
  });
}
