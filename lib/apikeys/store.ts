/**
 * API keys: the list staff see (never the hash), making, rotating and revoking keys (SQL checks
 * `api_keys.manage`), the accounts a key may credit, and reading the key a request carries.
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { emailsByIds } from "../users/admin.ts";
import { apiKeyErrors } from "./errors.ts";

/** The scopes a key may hold (the check constraint on public.api_keys lists the same). */
export const API_KEY_SCOPES = ["charges.create", "transfers.batch"] as const;
export type ApiKeyScope = typeof API_KEY_SCOPES[number];

/** A key as staff see it: its prefix, never the key or its hash. */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  accountCode: string;
  createdAt: Date;
  createdByEmail: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  replacedBy: string | null;
}

/** A key just made: the only time its plaintext exists outside the caller. */
export interface NewApiKey {
  id: string;
  apiKey: string;
  prefix: string;
}

/** Every key, active ones first, newest first (RLS: `api_keys.manage`). */
export async function listApiKeys(tx: Tx): Promise<ApiKeyRow[]> {
  const rows = await tx.selectFrom("api_keys as k")
    .innerJoin("ledger.accounts as a", "a.id", "k.account_id")
    .select([
      "k.id",
      "k.name",
      "k.prefix",
      "k.scopes",
      "a.code",
      "k.created_at",
      "k.created_by",
      "k.last_used_at",
      "k.revoked_at",
      "k.replaced_by",
    ])
    .orderBy(sql`k.revoked_at is not null`)
    .orderBy("k.id", "desc")
    .limit(500)
    .execute();
  const emails = await emailsByIds(tx, rows.flatMap((r) => r.created_by ? [r.created_by] : []));
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    accountCode: r.code ?? "",
    createdAt: new Date(r.created_at),
    createdByEmail: r.created_by ? emails.get(r.created_by) ?? null : null,
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
    replacedBy: r.replaced_by === null ? null : String(r.replaced_by),
  }));
}

/** System accounts a key may credit: revenue and merchant accounts, not the ledger's bookkeeping ones. */
export async function chargeableAccounts(tx: Tx): Promise<string[]> {
  const { rows } = await sql<{ code: string }>`
    select code from ledger.accounts
    where kind = 'system' and code not in ('gateway_clearing', 'payouts', 'adjustments', 'fees')
    order by code = 'revenue' desc, code`.execute(tx);
  return rows.map((r) => r.code);
}

type Made = { id: string; api_key: string; prefix: string };
const made = (row: Made): NewApiKey => ({ id: row.id, apiKey: row.api_key, prefix: row.prefix });

/** `api_keys.manage`: a new key crediting `accountCode` with `scopes`; the result holds the key, once. */
export async function createApiKey(
  tx: Tx,
  input: { name: string; accountCode: string; scopes: readonly ApiKeyScope[] },
): Promise<NewApiKey> {
  return await apiKeyErrors.mapping(async () => {
    const { rows } = await sql<Made>`
      select id::text, api_key, prefix
      from public.create_api_key(${input.name}, ${input.accountCode}, ${[...input.scopes]}::text[])`.execute(
      tx,
    );
    return made(rows[0]);
  });
}

/** `api_keys.manage`: a new key like key `id` (name, scopes, account); the old one is revoked. */
export async function rotateApiKey(tx: Tx, id: string): Promise<NewApiKey> {
  return await apiKeyErrors.mapping(async () => {
    const { rows } = await sql<Made>`
      select id::text, api_key, prefix from public.rotate_api_key(${id}::bigint)`.execute(tx);
    return made(rows[0]);
  });
}

/** `api_keys.manage`: revokes key `id` at once; returns its prefix. */
export async function revokeApiKey(tx: Tx, id: string): Promise<string> {
  return await apiKeyErrors.mapping(async () => {
    const { rows } = await sql<{ prefix: string }>`select public.revoke_api_key(${id}::bigint) as prefix`
      .execute(tx);
    return rows[0].prefix;
  });
}

const KEY = /^pk_live_[0-9a-f]{64}$/;

/**
 * The API key in `Authorization: Bearer <key>`: 401 api_key_required without one, 401 api_key_invalid when it
 * is not shaped like a key (no database work). Whether it exists, is live and has the scope, SQL decides.
 */
export function bearerApiKey(authorization: string | undefined): string {
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!given) throw apiKeyErrors.refuse("api_key_required");
  if (!KEY.test(given)) throw apiKeyErrors.refuse("api_key_invalid");
  return given;
}
