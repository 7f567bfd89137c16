/**
 * A user's notification preferences (RLS: owner only), the Novu-style levels of docs/notifications.md: a
 * global switch per channel, a choice per category × channel (defaults from
 * `notifications.my_category_choices`, the same rule `emit` applies), quiet hours in a time zone and the daily
 * digest. What the page may offer depends on the verified phone: SMS needs one, and WhatsApp never reaches +98
 * numbers (their messages go by SMS). Critical categories (security) are always on: saving them is refused.
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { notificationErrors } from "./errors.ts";

export const CHANNELS = ["in_app", "email", "sms", "whatsapp"] as const;
export type Channel = typeof CHANNELS[number];
export type ChannelSwitches = Record<Channel, boolean>;

export interface CategoryChoice {
  key: string;
  priority: "critical" | "high" | "normal" | "low";
  channels: ChannelSwitches;
}

export interface Preferences {
  channels: ChannelSwitches;
  quietHours: { enabled: boolean; start: string; end: string; timeZone: string };
  digest: boolean;
  categories: CategoryChoice[];
  /** The verified phone (E.164), or null. */
  phone: string | null;
}

/** Why a channel cannot be chosen for this user, or null when it can. */
export type Unavailable = "no_verified_phone" | "whatsapp_iran" | null;

export function channelUnavailable(channel: Channel, phone: string | null): Unavailable {
  if (channel !== "sms" && channel !== "whatsapp") return null;
  if (!phone) return "no_verified_phone";
  return channel === "whatsapp" && phone.startsWith("+98") ? "whatsapp_iran" : null;
}

export interface PreferencesChange {
  channels?: Partial<ChannelSwitches>;
  quietHours?: Partial<Preferences["quietHours"]>;
  digest?: boolean;
  /** category → channel → on/off */
  categories?: Record<string, Partial<ChannelSwitches>>;
}

const hhmm = (time: string) => time.slice(0, 5);

/** The caller's preferences, defaults filled in. */
export async function getPreferences(tx: Tx, userId: string): Promise<Preferences> {
  const prefs = await tx.selectFrom("notification_preferences").selectAll().where("user_id", "=", userId)
    .executeTakeFirst();
  const categories = await tx.selectFrom("notification_categories").select(["key", "priority"])
    .orderBy("position").execute();
  const { rows: choices } = await sql<{ category: string; channel: Channel; enabled: boolean }>`
    select category, channel, enabled from notifications.my_category_choices()`.execute(tx);
  const { rows: [{ phone }] } = await sql<{ phone: string | null }>`select notifications.my_phone() as phone`
    .execute(tx);
  return {
    channels: {
      in_app: prefs?.in_app_enabled ?? true,
      email: prefs?.email_enabled ?? true,
      sms: prefs?.sms_enabled ?? true,
      whatsapp: prefs?.whatsapp_enabled ?? true,
    },
    quietHours: {
      enabled: prefs?.quiet_hours_enabled ?? true,
      start: hhmm(prefs?.quiet_start ?? "22:00"),
      end: hhmm(prefs?.quiet_end ?? "08:00"),
      timeZone: prefs?.time_zone ?? "Asia/Tehran",
    },
    digest: prefs?.digest_enabled ?? false,
    categories: categories.map((k) => {
      const critical = k.priority === "critical";
      const on = (channel: Channel) =>
        critical || !!choices.find((c) => c.category === k.key && c.channel === channel)?.enabled;
      return {
        key: k.key,
        priority: k.priority as CategoryChoice["priority"],
        channels: { in_app: on("in_app"), email: on("email"), sms: on("sms"), whatsapp: on("whatsapp") },
      };
    }),
    phone,
  };
}

/**
 * Saves a change in one transaction (a refusal changes nothing): an unknown category, or turning a critical
 * category off, is `notification_invalid_input`; an unknown time zone is `notification_invalid_time_zone`.
 */
export async function savePreferences(tx: Tx, userId: string, change: PreferencesChange): Promise<void> {
  const known = await tx.selectFrom("notification_categories").select(["key", "priority"]).execute();
  for (const [key, channels] of Object.entries(change.categories ?? {})) {
    const category = known.find((k) => k.key === key);
    if (!category) {
      throw notificationErrors.refuse("notification_invalid_input", { field: `categories.${key}` });
    }
    if (category.priority === "critical" && Object.values(channels).some((on) => on === false)) {
      throw notificationErrors.refuse("notification_invalid_input", { field: `categories.${key}` });
    }
  }
  const values = {
    in_app_enabled: change.channels?.in_app,
    email_enabled: change.channels?.email,
    sms_enabled: change.channels?.sms,
    whatsapp_enabled: change.channels?.whatsapp,
    quiet_hours_enabled: change.quietHours?.enabled,
    quiet_start: change.quietHours?.start,
    quiet_end: change.quietHours?.end,
    time_zone: change.quietHours?.timeZone,
    digest_enabled: change.digest,
  };
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  await notificationErrors.mapping(async () => {
    await tx.insertInto("notification_preferences").values({ user_id: userId, ...set })
      .onConflict((oc) => Object.keys(set).length ? oc.column("user_id").doUpdateSet(set) : oc.doNothing())
      .execute();
  });
  const rows = Object.entries(change.categories ?? {}).flatMap(([category, channels]) =>
    Object.entries(channels).filter(([, on]) => on !== undefined).map(([channel, enabled]) => ({
      user_id: userId,
      category,
      channel,
      enabled: !!enabled,
    }))
  );
  if (rows.length) {
    await tx.insertInto("notification_category_preferences").values(rows)
      .onConflict((oc) =>
        oc.columns(["user_id", "category", "channel"]).doUpdateSet({
          enabled: (eb) => eb.ref("excluded.enabled"),
        })
      ).execute();
  }
}
