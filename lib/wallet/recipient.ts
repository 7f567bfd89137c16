/**
 * Who a transfer would reach, for the confirmation step: the name, the masked email or phone and whether
 * that channel is verified, as ledger.find_user resolves them (ledger.preview_recipient; the transfer itself
 * resolves again inside the ledger). And the one limit on recipient look-ups: every look-up the form's
 * preview makes, and every transfer on any path (form confirm, API) that fails to find its recipient, counts
 * against the same per-user window, so the user list cannot be walked through any of them.
 */
import { sql } from "kysely";
import { asService, type Tx } from "../db/client.ts";
import { hitRateLimit, rateLimited } from "../rate_limit/enforce.ts";
import { maskPhone } from "../users/phone.ts";
import { walletErrors } from "./errors.ts";
import type { DomainError } from "../errors.ts";

export interface RecipientPreview {
  userId: string;
  name: string;
  /** Which handle matched: the email address or the (verified) phone number. */
  via: "email" | "phone";
  /** e.g. "s***@example.com" or "0912•••6789": the handle that matched, masked. */
  masked: string;
  /** The matched channel is confirmed by its owner (phones always are: unverified ones never match). */
  verified: boolean;
}

/** "sara@example.com" → "s***@example.com". */
export function maskEmail(email: string): string {
  const [local, domain] = email.split("@");
  return domain ? `${local.slice(0, 1)}***@${domain}` : "***";
}

/**
 * The recipient for `handle` (email or phone), or the refusal that says why there is none
 * (recipient_not_found, recipient_phone_unverified). Returned, not thrown, so that the transaction it runs in
 * (with the look-up count) commits. Runs as service_role.
 */
export async function previewRecipient(tx: Tx, handle: string): Promise<RecipientPreview | DomainError> {
  const { rows: [row] } = await sql<
    {
      user_id: string | null;
      full_name: string;
      email: string | null;
      phone: string | null;
      via: string;
      verified: boolean;
    }
  >`select * from ledger.preview_recipient(${handle})`.execute(tx);
  if (!row) return walletErrors.refuse("recipient_not_found");
  if (!row.user_id) return walletErrors.refuse("recipient_phone_unverified");
  const via = row.via === "phone" ? "phone" : "email";
  return {
    userId: row.user_id,
    name: row.full_name,
    via,
    masked: via === "phone" ? maskPhone(row.phone ?? "") : maskEmail(row.email ?? ""),
    verified: row.verified,
  };
}

/** Look-ups per user and window: enough to fix typos, too few to walk the user list for names. */
export const PREVIEW_LIMIT = { max: 30, windowSeconds: 600 };

const lookupKey = (userId: string) => `transfer_preview:user:${userId}`;

/** previewRecipient for the transfer form, counted against the asking user's limit (refused as rate_limited when over). */
export async function lookupRecipient(
  tx: Tx,
  askingUserId: string,
  handle: string,
): Promise<RecipientPreview | DomainError> {
  const hit = await hitRateLimit(tx, lookupKey(askingUserId), PREVIEW_LIMIT);
  if (!hit.allowed) throw rateLimited(hit.retryAfter);
  return await previewRecipient(tx, handle);
}

/** Refusals that say "nobody (verified) has this handle": each one is a look-up that counts. */
export const FAILED_LOOKUP = ["recipient_not_found", "recipient_phone_unverified"] as const;

/**
 * Runs a transfer (`attempt`) for `userId`; when it fails to find its recipient, counts the failure against
 * the look-up limit and answers rate_limited once the limit is used up. A transfer that posts costs nothing
 * extra (it stays one round trip), so only the refusals pay for the count.
 */
export async function countingFailedLookups<T>(userId: string, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (FAILED_LOOKUP.some((code) => walletErrors.is(error, code))) {
      const hit = await asService((tx) => hitRateLimit(tx, lookupKey(userId), PREVIEW_LIMIT));
      if (!hit.allowed) throw rateLimited(hit.retryAfter);
    }
    throw error;
  }
}
