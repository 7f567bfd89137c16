/** The local stand-ins for hosted services, mounted on the local gateway by path (see README.md). */
import type { Hono } from "hono";
import type postgres from "postgres";
import type { LocalKeys } from "./keys.ts";
import { createAuthEmulator } from "./auth/mod.ts";
import { mountZarinpal } from "./payments_setup.ts";

export interface MountContext {
  sql: postgres.Sql;
  keys: LocalKeys;
  gatewayUrl: string;
  appUrl: string;
}

export async function localMounts(ctx: MountContext): Promise<Record<string, Hono>> {
  return { "/auth/v1": createAuthEmulator(ctx), "/sandbox/zarinpal": await mountZarinpal(ctx) };
}
