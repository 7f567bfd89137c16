/** The typed Hono environment shared by main.ts, middleware and routes. */
import type { Context } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { Locale, MessageKey } from "../i18n/mod.ts";
import type { UserClaims } from "../auth/tokens.ts";
import type { Viewer } from "../auth/viewer.ts";
import type { AuthClient } from "../auth/supabase.ts";
import type { Tx } from "../db/client.ts";

export interface AppVariables extends RequestIdVariables {
  locale: Locale;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  secureHeadersNonce?: string;
  /** Verified access-token claims of the signed-in user (lib/auth/session.ts); pass them to asUser(). */
  claims?: UserClaims;
  viewer?: Viewer;
  /** The signed-in user's unread notifications, for the header's bell (lib/notifications/bell.ts; page GETs). */
  unreadNotifications?: number;
  /** Reads `unreadNotifications` in a transaction of its own, for a page GET whose reads did not bring it. */
  loadUnreadNotifications?: () => Promise<number>;
  /** The request carried a session that can no longer be used (expired or revoked). */
  sessionEnded?: boolean;
  /** This request's Supabase Auth client over the session cookies, created on first use. */
  auth: () => AuthClient;
  /** The signed-in user's claims; a 401 refusal when nobody is signed in (lib/auth/session.ts). */
  user: () => UserClaims;
  /** Runs `fn` in a transaction as the signed-in user, so RLS applies; a 401 refusal when nobody is. */
  asUser: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
}

export interface AppEnv {
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;
