/** auth.users rows: lookups, inserts, updates (GoTrue's models/user.go) and the User JSON of spec §2.1. */
import type { Db, Emulator } from "./context.ts";
import { listIdentities } from "./identities.ts";

type Json = Record<string, unknown>;

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Date | null;
  updated_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  phone_change: string | null;
  phone_change_sent_at: Date | null;
  phone_change_token: string | null;
  reauthentication_token: string | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  reauthentication_sent_at: Date | null;
  is_sso_user: boolean;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  not_after: Date | null;
}

/** The nil instance id GoTrue writes into every row. */
export const INSTANCE_ID = "00000000-0000-0000-0000-000000000000";
export const AUD = "authenticated";

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`select * from auth.users where id = ${id}`;
  return row;
}

export async function findUserByEmail(db: Db, email: string, aud = AUD): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`
    select * from auth.users
    where lower(email) = ${email.toLowerCase()} and aud = ${aud} and is_sso_user = false
    limit 1`;
  return row;
}

export const isConfirmed = (user: UserRow) => user.email_confirmed_at !== null;
export const hasPassword = (user: UserRow) => !!user.encrypted_password;
export const isBanned = (user: UserRow, now: Date) => user.banned_until !== null && now < user.banned_until;

export interface NewUser {
  id?: string;
  email?: string;
  phone?: string;
  /** "" stores an empty hash (no password), as GoTrue's NewUser does. */
  password?: string;
  aud?: string;
  role?: string;
  userMetadata?: Json;
  appMetadata?: Json;
}

/** Inserts a user; the password is hashed with bcrypt by pgcrypto. */
export async function insertUser(db: Db, emu: Emulator, user: NewUser): Promise<UserRow> {
  const now = emu.now();
  const password = user.password ?? "";
  const [row] = await db<UserRow[]>`
    insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password, raw_app_meta_data,
      raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token_new,
      email_change)
    values (${INSTANCE_ID}, ${user.id ?? crypto.randomUUID()}, ${user.aud ?? AUD}, ${user.role ?? AUD},
      ${user.email?.toLowerCase() ?? null}, ${user.phone ?? null},
      ${password === "" ? db`''` : db`extensions.crypt(${password}, extensions.gen_salt('bf'))`},
      ${db.json((user.appMetadata ?? {}) as never)}, ${db.json((user.userMetadata ?? {}) as never)},
      ${now}, ${now}, '', '', '', '')
    returning *`;
  return row;
}

/** Updates columns (metadata objects are written as jsonb) and bumps updated_at, like pop's UpdateOnly. */
export async function updateUser(
  db: Db,
  emu: Emulator,
  id: string,
  patch: Partial<UserRow>,
): Promise<UserRow> {
  const values: Record<string, unknown> = { ...patch, updated_at: emu.now() };
  for (const key of ["raw_app_meta_data", "raw_user_meta_data"] as const) {
    if (patch[key]) values[key] = db.json(patch[key] as never);
  }
  const [row] = await db<UserRow[]>`update auth.users set ${
    db(values as never)
  } where id = ${id} returning *`;
  return row;
}

export async function setPassword(db: Db, emu: Emulator, id: string, password: string): Promise<void> {
  await db`update auth.users
    set encrypted_password = ${
    password === "" ? null : db`extensions.crypt(${password}, extensions.gen_salt('bf'))`
  },
        updated_at = ${emu.now()}
    where id = ${id}`;
}

export async function passwordMatches(db: Db, user: UserRow, password: string): Promise<boolean> {
  if (!hasPassword(user)) return false;
  const [row] = await db<{ ok: boolean }[]>`
    select encrypted_password = extensions.crypt(${password}, encrypted_password) as ok
    from auth.users where id = ${user.id}`;
  return row?.ok === true;
}

/** Shallow merge where a null value deletes the key (UpdateUserMetaData / UpdateAppMetaData). */
export function mergeMetadata(current: Json | null, updates: Json): Json {
  const merged: Json = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Recomputes app_metadata.providers (and .provider) from the identities, oldest first. */
export async function updateProviders(db: Db, emu: Emulator, user: UserRow): Promise<UserRow> {
  const identities = await listIdentities(db, user.id);
  const providers = [...new Set(identities.map((i) => i.provider))];
  const patch: Json = { providers, ...(providers.length ? { provider: providers[0] } : {}) };
  return await updateUser(db, emu, user.id, {
    raw_app_meta_data: mergeMetadata(user.raw_app_meta_data, patch),
  });
}

/** Confirms the email (User.Confirm): timestamp, email_verified, one-time tokens cleared. */
export async function confirmUser(db: Db, emu: Emulator, user: UserRow): Promise<UserRow> {
  await db`delete from auth.one_time_tokens where user_id = ${user.id}`;
  return await updateUser(db, emu, user.id, {
    confirmation_token: "",
    email_confirmed_at: emu.now(),
    raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, { email_verified: true }),
  });
}
