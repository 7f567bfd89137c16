/** auth.identities rows and the Identity JSON of spec §2.2 (`identity_id` = row id, `id` = provider id). */
import type { Db, Emulator } from "./context.ts";

type Json = Record<string, unknown>;

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

export async function listIdentities(db: Db, userId: string): Promise<IdentityRow[]> {
  return await db<IdentityRow[]>`
    select * from auth.identities where user_id = ${userId} order by created_at asc, id asc`;
}

export async function findIdentity(
  db: Db,
  providerId: string,
  provider: string,
): Promise<IdentityRow | undefined> {
  const [row] = await db<IdentityRow[]>`
    select * from auth.identities where provider_id = ${providerId} and provider = ${provider}`;
  return row;
}

/** The identity_data of an email identity (structs.Map(provider.Claims{Subject, Email})). */
export function emailIdentityData(userId: string, email: string, verified = false): Json {
  return { email: email.toLowerCase(), email_verified: verified, phone_verified: false, sub: userId };
}

/** Inserts an identity; `identity_data.sub` is the provider's user id (NewIdentity). */
export async function insertIdentity(
  db: Db,
  emu: Emulator,
  userId: string,
  provider: string,
  identityData: Json,
): Promise<IdentityRow> {
  const now = emu.now();
  const data = typeof identityData.email === "string"
    ? { ...identityData, email: identityData.email.toLowerCase() }
    : identityData;
  const [row] = await db<IdentityRow[]>`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${String(data.sub)}, ${userId}, ${db.json(data as never)}, ${provider}, ${now}, ${now}, ${now})
    returning *`;
  return row;
}

/** Shallow-merges into identity_data (UpdateIdentityData). */
export async function updateIdentityData(
  db: Db,
  emu: Emulator,
  identity: IdentityRow,
  updates: Json,
  touchSignIn = false,
): Promise<void> {
  const data = { ...identity.identity_data, ...updates };
  await db`update auth.identities
    set identity_data = ${db.json(data as never)}, updated_at = ${emu.now()},
        last_sign_in_at = ${touchSignIn ? emu.now() : identity.last_sign_in_at}
    where id = ${identity.id}`;
}

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);

export function identityJson(identity: IdentityRow): Json {
  const json: Json = {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
    identity_data: identity.identity_data,
    provider: identity.provider,
    last_sign_in_at: iso(identity.last_sign_in_at),
    created_at: iso(identity.created_at),
    updated_at: iso(identity.updated_at),
    email: identity.email || undefined,
  };
  return Object.fromEntries(Object.entries(json).filter(([, v]) => v !== undefined));
}
