/** The local stand-ins for hosted services, mounted on the local gateway by path (see README.md). */
import type { Hono } from "hono";
import type postgres from "postgres";
import type { LocalKeys } from "./keys.ts";
import { createAuthEmulator } from "./auth/mod.ts";
import { mountZarinpal } from "./payments_setup.ts";
import { createStorageEmulator } from "./storage/mod.ts";
import { createNotifySandboxes } from "./notify/mod.ts";

export interface MountContext {
  sql: postgres.Sql;
  keys: LocalKeys;
  gatewayUrl: string;
  appUrl: string;
  /** The Storage stand-in's byte store (default .local/storage). */
  storageRoot?: string;
}

const DEFAULT_STORAGE_ROOT = new URL("../.local/storage", import.meta.url).pathname;

export async function localMounts(ctx: MountContext): Promise<Record<string, Hono>> {
  return {
    "/auth/v1": createAuthEmulator(ctx),
    "/storage/v1": createStorageEmulator({
      sql: ctx.sql,
      keys: ctx.keys,
      root: ctx.storageRoot ?? DEFAULT_STORAGE_ROOT,
    }),
    "/sandbox/zarinpal": await mountZarinpal(ctx),
    ...createNotifySandboxes(ctx.sql).mounts,
  };
}
