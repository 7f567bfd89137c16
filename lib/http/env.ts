/** The typed Hono environment shared by main.ts, middleware and routes. */
import type { Context } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { Locale, MessageKey } from "../i18n/mod.ts";

export interface AppVariables extends RequestIdVariables {
  locale: Locale;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  secureHeadersNonce?: string;
}

export interface AppEnv {
  Variables: AppVariables;
}

export type AppContext = Context<AppEnv>;
