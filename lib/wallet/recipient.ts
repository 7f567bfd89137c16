/**
 * Who a transfer would reach, for the confirmation step: the name and a masked email of the user with this
 * email or phone, as ledger.find_user resolves them (the transfer itself resolves again inside the ledger).
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { hitRateLimit, rateLimited } from "../rate_limit/enforce.ts";

export interface RecipientPreview {
  userId: string;
  name: string;
  /** e.g. "s***@example.com". */
  maskedEmail: string;
}

/** "sara@example.com" → "s***@example.com". */
export function maskEmail(email: string): string {
  const [local, domain] = email.split("@");
  return domain ? `${local.slice(0, 1)}***@${domain}` : "***";
}

/** Phones as ledger.find_user normalizes them: 0912…, +98912…, 0098912…, 912… all become 98912…. */
function phoneDigits(handle: string): string | undefined {
  let digits = handle.replace(/[\s().-]/g, "").replace(/^(\+|00)/, "");
  if (/^09[0-9]{9}$/.test(digits)) digits = `98${digits.slice(1)}`;
  else if (/^9[0-9]{9}$/.test(digits)) digits = `98${digits}`;
  return /^[0-9]{8,15}$/.test(digits) ? digits : undefined;
}

/** The recipient for `handle` (email or phone), or undefined. Runs as service_role. */
export async function previewRecipient(tx: Tx, handle: string): Promise<RecipientPreview | undefined> {
  const text = handle.trim();
  let id: string | undefined;
  if (text.includes("@")) {
    const { rows } = await sql<{ id: string }>`
      select id from private.list_users(${text.toLowerCase()}, null, null, 100)
      where lower(email) = ${text.toLowerCase()}`.execute(tx);
    id = rows[0]?.id;
  } else {
    const digits = phoneDigits(text);
    if (!digits) return undefined;
    const { rows } = await sql<{ id: string }>`
      select (array_agg(p.id))[1] as id from public.profiles p
      where p.phone in (${digits}, ${"+" + digits}) having count(*) = 1`.execute(tx);
    id = rows[0]?.id;
  }
  if (!id) return undefined;
  const { rows } = await sql<{ email: string; full_name: string }>`
    select email, full_name from private.user_detail(${id}::uuid)`.execute(tx);
  if (!rows[0]) return undefined;
  return { userId: id, name: rows[0].full_name, maskedEmail: maskEmail(rows[0].email ?? "") };
}

/** Look-ups per user and window: enough to fix typos, too few to walk the user list for names. */
export const PREVIEW_LIMIT = { max: 30, windowSeconds: 600 };

/** previewRecipient for the transfer form, counted against the asking user's limit (refused as rate_limited when over). */
export async function lookupRecipient(tx: Tx, askingUserId: string, handle: string) {
  const hit = await hitRateLimit(tx, `transfer_preview:user:${askingUserId}`, PREVIEW_LIMIT);
  if (!hit.allowed) throw rateLimited(hit.retryAfter);
  return await previewRecipient(tx, handle);
}
