/** Admin soft delete and user listing (admin.go adminUserDelete, models.FindUsersInAudience). */
import type { Db, Emulator } from "./context.ts";
import { encodeBase64Url } from "./encoding.ts";
import { listIdentities } from "./identities.ts";
import { userJson } from "./user_json.ts";
import { updateUser, type UserRow } from "./users.ts";

async function obfuscate(id: string, value: string, length?: number): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id + value));
  return encodeBase64Url(new Uint8Array(hash)).slice(0, length);
}

/** SoftDeleteUser: personal fields hashed away, metadata emptied, sessions ended, deleted_at stamped. */
export async function softDeleteUser(db: Db, emu: Emulator, user: UserRow): Promise<void> {
  const phone = user.phone ? await obfuscate(user.id, user.phone, 15) : null;
  await db`delete from auth.one_time_tokens where user_id = ${user.id}`;
  await db`delete from auth.sessions where user_id = ${user.id}`;
  await updateUser(db, emu, user.id, {
    email: await obfuscate(user.id, user.email ?? ""),
    phone,
    email_change: user.email_change ? await obfuscate(user.id, user.email_change) : "",
    encrypted_password: null,
    confirmation_token: "",
    recovery_token: "",
    email_change_token_current: "",
    email_change_token_new: "",
    deleted_at: emu.now(),
    raw_user_meta_data: {},
    raw_app_meta_data: {},
  });
  for (const identity of await listIdentities(db, user.id)) {
    await db`update auth.identities set identity_data = '{}', updated_at = ${emu.now()},
      provider_id = ${await obfuscate(user.id, identity.provider_id)} where id = ${identity.id}`;
  }
}

/** One page of users, newest first; `filter` matches the email or full_name (FindUsersInAudience). */
export async function listUsersPage(db: Db, page: number, perPage: number, filter: string) {
  const like = `%${filter}%`;
  const where = filter
    ? db`aud = 'authenticated' and (email like ${like} or raw_user_meta_data ->> 'full_name' ilike ${like})`
    : db`aud = 'authenticated'`;
  const [{ count }] = await db<
    { count: number }[]
  >`select count(*)::int as count from auth.users where ${where}`;
  const rows = await db<UserRow[]>`select * from auth.users where ${where}
    order by created_at desc limit ${perPage} offset ${(page - 1) * perPage}`;
  const users = [];
  for (const row of rows) users.push(userJson(row, await listIdentities(db, row.id)));
  return { users, count };
}
