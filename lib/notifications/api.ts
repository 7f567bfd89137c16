/**
 * The notification center's slice of the JSON API (/api/v1/notifications): the caller's in-app notifications
 * (keyset pages, unread count), mark-as-read (`{ids}` or `{all: true}`) and the preferences (GET the effective
 * values with defaults; PUT a change — fields left out keep their value). Bad input is a 400 before any SQL,
 * and a refused PUT changes nothing (one transaction).
 */
import { z } from "zod";
import { registerOperations, registerTag } from "../api/openapi.ts";
import { int8Id } from "../http/schemas.ts";
import "./errors.ts";
import type { InAppNotification, InboxPage } from "./inbox.ts";
import { safeLink } from "./inbox.ts";
import { CHANNELS, channelUnavailable, type Preferences, type PreferencesChange } from "./preferences.ts";

const Timestamp = z.iso.datetime({ offset: true });
const Time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/).describe("Local time, HH:MM (24 hours).");
const CategoryKey = z.string().regex(/^[a-z_]{2,30}$/).describe("A category: money, tickets, security, …");

export const NotificationsQuery = z.object({
  cursor: z.string().max(200).optional().describe("next_cursor of the previous page."),
  limit: z.coerce.number().int().min(1).max(100).optional().describe("Default 20."),
});

export const ReadBody = z.strictObject({
  ids: z.array(int8Id).min(1).max(100).optional().describe("Notifications to mark read."),
  all: z.literal(true).optional().describe("Mark every notification read."),
}).refine((b) => (b.ids === undefined) !== (b.all === undefined), "send either ids or all: true");

const Switches = z.strictObject({
  in_app: z.boolean().optional(),
  email: z.boolean().optional(),
  sms: z.boolean().optional(),
  whatsapp: z.boolean().optional(),
});

export const PreferencesBody = z.strictObject({
  channels: Switches.optional().describe("The global switch per channel."),
  quiet_hours: z.strictObject({
    enabled: z.boolean().optional(),
    start: Time.optional(),
    end: Time.optional(),
    time_zone: z.string().min(1).max(64).regex(/^[A-Za-z0-9_+\-/]+$/).optional()
      .describe("An IANA time zone, e.g. Asia/Tehran."),
  }).optional(),
  digest: z.boolean().optional().describe("Collect low-priority categories into one daily email."),
  categories: z.record(CategoryKey, Switches).optional()
    .describe("Per category × channel; critical categories (security) cannot be turned off."),
}).refine((b) => Object.values(b).some((v) => v !== undefined), "send at least one field");

/** The body of PUT /preferences as the store's change. */
export function preferencesChange(body: z.infer<typeof PreferencesBody>): PreferencesChange {
  return {
    channels: body.channels,
    quietHours: body.quiet_hours && {
      enabled: body.quiet_hours.enabled,
      start: body.quiet_hours.start,
      end: body.quiet_hours.end,
      timeZone: body.quiet_hours.time_zone,
    },
    digest: body.digest,
    categories: body.categories,
  };
}

const NotificationJson = z.object({
  id: int8Id,
  category: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable().describe("A path on this site, or null."),
  read_at: Timestamp.nullable(),
  created_at: Timestamp,
});
const NotificationsPage = z.object({
  items: z.array(NotificationJson),
  unread_count: z.number().int(),
  next_cursor: z.string().nullable(),
});
const ReadResult = z.object({ marked: z.number().int(), unread_count: z.number().int() });
const Availability = z.enum(["no_verified_phone", "whatsapp_iran"]).nullable();
const ChannelStates = z.object({
  in_app: z.boolean(),
  email: z.boolean(),
  sms: z.boolean(),
  whatsapp: z.boolean(),
});
const PreferencesJson = z.object({
  channels: ChannelStates,
  unavailable: z.object({
    in_app: Availability,
    email: Availability,
    sms: Availability,
    whatsapp: Availability,
  })
    .describe(
      "Why a channel cannot be used: SMS needs a verified phone; WhatsApp does not reach +98 (SMS instead).",
    ),
  quiet_hours: z.object({ enabled: z.boolean(), start: z.string(), end: z.string(), time_zone: z.string() }),
  digest: z.boolean(),
  categories: z.array(z.object({
    key: z.string(),
    priority: z.enum(["critical", "high", "normal", "low"]),
    always_on: z.boolean().describe("Critical (security): sent whatever the preferences."),
    channels: ChannelStates,
  })),
});
const StreamEvent = z.object({
  unread_count: z.number().int(),
  notification: NotificationJson.optional().describe("The new notification (event `notification`)."),
});

// ---- Presenters ----------------------------------------------------------------------------------------

export function notificationJson(n: InAppNotification) {
  return {
    id: n.id,
    category: n.category,
    title: n.title,
    body: n.body,
    link: safeLink(n.link),
    read_at: n.readAt?.toISOString() ?? null,
    created_at: n.createdAt.toISOString(),
  };
}

export function notificationsPageJson(page: InboxPage) {
  return {
    items: page.items.map(notificationJson),
    unread_count: page.unreadCount,
    next_cursor: page.nextCursor,
  };
}

export function preferencesJson(p: Preferences) {
  const unavailable = Object.fromEntries(CHANNELS.map((ch) => [ch, channelUnavailable(ch, p.phone)]));
  return {
    channels: p.channels,
    unavailable,
    quiet_hours: {
      enabled: p.quietHours.enabled,
      start: p.quietHours.start,
      end: p.quietHours.end,
      time_zone: p.quietHours.timeZone,
    },
    digest: p.digest,
    categories: p.categories.map((k) => ({
      key: k.key,
      priority: k.priority,
      always_on: k.priority === "critical",
      channels: k.channels,
    })),
  };
}

// ---- Operations ----------------------------------------------------------------------------------------

registerTag("notifications", "The caller's in-app notifications and notification preferences.");
registerOperations("notifications", [
  {
    method: "get",
    path: "/notifications",
    operationId: "listNotifications",
    summary: "My notifications, newest first (keyset pagination), with the unread count",
    tag: "notifications",
    auth: "user",
    query: NotificationsQuery,
    response: NotificationsPage,
    errors: ["invalid_cursor"],
  },
  {
    method: "post",
    path: "/notifications/read",
    operationId: "markNotificationsRead",
    summary: "Mark some ({ids}) or all ({all: true}) of my notifications read",
    tag: "notifications",
    auth: "user",
    body: ReadBody,
    response: ReadResult,
  },
  {
    method: "get",
    path: "/notifications/events",
    operationId: "streamNotifications",
    summary: "Live unread count and new notifications (Server-Sent Events: `unread`, `notification`)",
    tag: "notifications",
    auth: "user",
    response: StreamEvent,
    contentType: "text/event-stream",
  },
  {
    method: "get",
    path: "/notifications/preferences",
    operationId: "getNotificationPreferences",
    summary: "My notification preferences (defaults filled in)",
    tag: "notifications",
    auth: "user",
    response: PreferencesJson,
  },
  {
    method: "put",
    path: "/notifications/preferences",
    operationId: "updateNotificationPreferences",
    summary: "Change my notification preferences (fields left out keep their value)",
    tag: "notifications",
    auth: "user",
    body: PreferencesBody,
    response: PreferencesJson,
    errors: ["notification_invalid_input", "notification_invalid_time_zone"],
  },
]);
