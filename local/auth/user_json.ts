/** The User object of spec §2.1 as GoTrue serialises it (models/user.go JSON tags). */
import type { Db } from "./context.ts";
import { identityJson, type IdentityRow, listIdentities } from "./identities.ts";
import { findUserById, type UserRow } from "./users.ts";

type Json = Record<string, unknown>;

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);

/** The User object of spec §2.1 (omitempty fields left out), with its identities. */
export function userJson(user: UserRow, identities: IdentityRow[]): Json {
  const json: Json = {
    id: user.id,
    aud: user.aud ?? "",
    role: user.role ?? "",
    email: user.email ?? "",
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone: user.phone ?? "",
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    confirmed_at: iso(user.confirmed_at),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change || undefined,
    email_change_sent_at: iso(user.email_change_sent_at),
    new_phone: user.phone_change || undefined,
    phone_change_sent_at: iso(user.phone_change_sent_at),
    reauthentication_sent_at: iso(user.reauthentication_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    created_at: iso(user.created_at) ?? new Date(0).toISOString(),
    updated_at: iso(user.updated_at) ?? new Date(0).toISOString(),
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
    is_anonymous: user.is_anonymous,
  };
  return Object.fromEntries(Object.entries(json).filter(([, v]) => v !== undefined));
}

/** Reloads the user and returns its JSON with identities. */
export async function loadUserJson(db: Db, id: string): Promise<Json> {
  const user = await findUserById(db, id);
  if (!user) throw new Error(`user ${id} vanished`);
  return userJson(user, await listIdentities(db, id));
}
