/** The local stand-ins for hosted services, mounted on the local gateway by path (see DESIGN.md §4). */
import type { Hono } from "hono";
import type postgres from "postgres";
import type { LocalKeys } from "./keys.ts";

export interface MountContext {
  sql: postgres.Sql;
  keys: LocalKeys;
  gatewayUrl: string;
  appUrl: string;
}

export function localMounts(_ctx: MountContext): Promise<Record<string, Hono>> {
  return Promise.resolve({});
}
