/** A user's own profile: name, phone, locale and notification channels (RLS: owner only). */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import type { DB } from "../db/types.ts";
import type { Locale } from "../i18n/mod.ts";

type ProfileRow = Selectable<DB["profiles"]>;

export interface Profile {
  fullName: ProfileRow["full_name"];
  phone: ProfileRow["phone"];
  /** The text column `locale`, narrowed to the locales the app speaks. */
  locale: Locale & ProfileRow["locale"];
  notifyEmail: ProfileRow["notify_email"];
  notifySms: ProfileRow["notify_sms"];
  notifyWhatsapp: ProfileRow["notify_whatsapp"];
}

/** The caller's profile (the transaction runs as the user). */
export async function getProfile(tx: Tx, userId: string): Promise<Profile | undefined> {
  const row = await tx.selectFrom("profiles")
    .select(["full_name", "phone", "locale", "notify_email", "notify_sms", "notify_whatsapp"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    fullName: row.full_name,
    phone: row.phone,
    locale: row.locale === "en" ? "en" : "fa",
    notifyEmail: row.notify_email,
    notifySms: row.notify_sms,
    notifyWhatsapp: row.notify_whatsapp,
  };
}

/** Saves the caller's profile; false when no row was visible to update. */
export async function updateProfile(tx: Tx, userId: string, profile: Profile): Promise<boolean> {
  const result = await tx.updateTable("profiles")
    .set({
      full_name: profile.fullName,
      phone: profile.phone,
      locale: profile.locale,
      notify_email: profile.notifyEmail,
      notify_sms: profile.notifySms,
      notify_whatsapp: profile.notifyWhatsapp,
    })
    .where("id", "=", userId)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** True the first time the signed-in user asks (their first-time welcome), false ever after. */
export async function takeWelcome(tx: Tx): Promise<boolean> {
  const { rows } = await sql<{ first: boolean }>`select public.take_welcome() as first`.execute(tx);
  return rows[0].first;
}

/** The language choice of the header's switch, saved to the signed-in user's profile (RLS: their own row). */
export async function saveLocale(tx: Tx, userId: string, locale: Locale): Promise<void> {
  await tx.updateTable("profiles").set({ locale }).where("id", "=", userId).execute();
}
