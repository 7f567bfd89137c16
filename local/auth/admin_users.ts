/** The admin user operations of admin.go: create and update (delete and listing are in admin_delete_list.ts). */
import { parseDuration } from "./config.ts";
import type { Db, Emulator } from "./context.ts";
import { internal, unprocessable, validationFailed } from "./errors.ts";
import { emailIdentityData, insertIdentity, listIdentities, updateIdentityData } from "./identities.ts";
import {
  confirmUser,
  findUserByEmail,
  insertUser,
  mergeMetadata,
  updateUser,
  type UserRow,
} from "./users.ts";
import { validateEmail, validatePhone } from "./validate.ts";

export interface AdminUserParams {
  id?: string;
  aud?: string;
  role?: string;
  email?: string;
  phone?: string;
  password?: string | null;
  password_hash?: string;
  email_confirm?: boolean;
  phone_confirm?: boolean;
  user_metadata?: Record<string, unknown>;
  app_metadata?: Record<string, unknown>;
  ban_duration?: string;
}

/** `ban_duration`: a Go duration such as "24h", or "none" to lift a ban; undefined leaves it alone. */
export function banUntil(emu: Emulator, duration: string | undefined): Date | null | undefined {
  if (!duration) return undefined;
  if (duration === "none") return null;
  const seconds = parseDuration(duration);
  if (seconds === undefined) {
    throw validationFailed(`invalid format for ban duration: time: invalid duration "${duration}"`);
  }
  return seconds === 0 ? null : new Date(emu.now().getTime() + seconds * 1000);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** POST /admin/users (adminUserCreate). */
export async function adminCreateUser(emu: Emulator, p: AdminUserParams): Promise<UserRow> {
  const aud = p.aud || "authenticated";
  if (!p.email && !p.phone) throw validationFailed("Cannot create a user without either an email or phone");
  const providers: string[] = [];
  const email = p.email ? validateEmail(p.email) : undefined;
  if (email) {
    if (await findUserByEmail(emu.sql, email, aud)) {
      throw unprocessable("email_exists", "A user with this email address has already been registered");
    }
    providers.push("email");
  }
  const phone = p.phone ? validatePhone(p.phone) : undefined;
  if (phone) {
    const [taken] = await emu.sql`select 1 from auth.users where phone = ${phone} and aud = ${aud}`;
    if (taken) throw unprocessable("phone_exists", "Phone number already registered by another user");
    providers.push("phone");
  }
  if (p.password && p.password_hash) {
    throw validationFailed("Only a password or a password hash should be provided");
  }
  if (p.password_hash && !/^\$2[aby]\$\d\d\$/.test(p.password_hash)) throw internal("Error creating user");
  const password = p.password || (p.password_hash ? "" : crypto.randomUUID() + crypto.randomUUID());
  if (new TextEncoder().encode(password).length > 72) {
    throw validationFailed("bcrypt: password length exceeds 72 bytes");
  }
  if (p.id && !UUID.test(p.id)) throw validationFailed("ID must conform to the uuid v4 format");
  if (p.id && /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(p.id)) throw validationFailed("ID cannot be a nil uuid");
  const bannedUntil = banUntil(emu, p.ban_duration);
  try {
    return await emu.sql.begin(async (tx) => {
      let user = await insertUser(tx, emu, {
        id: p.id,
        email,
        phone,
        password,
        aud,
        role: p.role || "authenticated",
        userMetadata: p.user_metadata ?? {},
        appMetadata: mergeMetadata({ provider: providers[0], providers }, p.app_metadata ?? {}),
      });
      if (p.password_hash) user = await updateUser(tx, emu, user.id, { encrypted_password: p.password_hash });
      if (email) await insertIdentity(tx, emu, user.id, "email", emailIdentityData(user.id, email));
      if (phone) {
        await insertIdentity(tx, emu, user.id, "phone", {
          sub: user.id,
          phone,
          email_verified: false,
          phone_verified: false,
        });
      }
      if (p.email_confirm) user = await confirmUser(tx, emu, user);
      if (p.phone_confirm) user = await updateUser(tx, emu, user.id, { phone_confirmed_at: emu.now() });
      if (bannedUntil !== undefined) user = await updateUser(tx, emu, user.id, { banned_until: bannedUntil });
      return user;
    });
  } catch (error) {
    throw internal(`Database error creating new user: ${(error as Error).message}`);
  }
}

/** PUT /admin/users/{id} (adminUserUpdate); a new password signs the user out everywhere. */
export async function adminUpdateUser(
  db: Db,
  emu: Emulator,
  user: UserRow,
  p: AdminUserParams,
): Promise<UserRow> {
  const email = p.email ? validateEmail(p.email) : undefined;
  const phone = p.phone ? validatePhone(p.phone) : undefined;
  const bannedUntil = banUntil(emu, p.ban_duration);
  if (p.role) user = await updateUser(db, emu, user.id, { role: p.role });
  if (p.email_confirm) user = await confirmUser(db, emu, user);
  if (p.phone_confirm) user = await updateUser(db, emu, user.id, { phone_confirmed_at: emu.now() });
  if (typeof p.password === "string") {
    await db`update auth.users set encrypted_password = ${
      p.password === "" ? null : db`extensions.crypt(${p.password}, extensions.gen_salt('bf'))`
    }, confirmation_token = '', recovery_token = '', email_change_token_current = '', email_change_token_new = '',
      confirmation_sent_at = null, recovery_sent_at = null, email_change_sent_at = null where id = ${user.id}`;
    await db`delete from auth.one_time_tokens where user_id = ${user.id}`;
    await db`delete from auth.sessions where user_id = ${user.id}`;
  }
  const identities = await listIdentities(db, user.id);
  if (email) {
    const identity = identities.find((i) => i.provider === "email");
    if (identity) await updateIdentityData(db, emu, identity, { email, email_verified: !!p.email_confirm });
    else {await insertIdentity(
        db,
        emu,
        user.id,
        "email",
        emailIdentityData(user.id, email, !!p.email_confirm),
      );}
    user = await updateUser(db, emu, user.id, { email });
  }
  if (phone) {
    const identity = identities.find((i) => i.provider === "phone");
    const data = { phone, phone_verified: !!p.phone_confirm };
    if (identity) await updateIdentityData(db, emu, identity, data);
    else await insertIdentity(db, emu, user.id, "phone", { sub: user.id, email_verified: false, ...data });
    user = await updateUser(db, emu, user.id, { phone });
  }
  if (p.app_metadata) {
    user = await updateUser(db, emu, user.id, {
      raw_app_meta_data: mergeMetadata(user.raw_app_meta_data, p.app_metadata),
    });
  }
  if (p.user_metadata) {
    user = await updateUser(db, emu, user.id, {
      raw_user_meta_data: mergeMetadata(user.raw_user_meta_data, p.user_metadata),
    });
  }
  if (bannedUntil !== undefined) user = await updateUser(db, emu, user.id, { banned_until: bannedUntil });
  return user;
}
