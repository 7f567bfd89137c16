/** The Storage stand-in's state, shared by its routes. */
import type { Context } from "hono";
import type postgres from "postgres";
import type { LocalKeys } from "../keys.ts";
import { asCaller, type Caller, caller } from "./caller.ts";
import type { FileStore } from "./files.ts";

export interface StorageEmulator {
  sql: postgres.Sql;
  keys: LocalKeys;
  files: FileStore;
  now: () => Date;
}

/** The caller of this request (see caller.ts). */
export function callerOf(st: StorageEmulator, c: Context, tolerant = false): Promise<Caller> {
  return caller(st.keys, c.req.raw.headers, st.now(), tolerant);
}

/** Runs `fn` as the caller, with request.method/path and storage.operation set for this request. */
export function run<T>(
  st: StorageEmulator,
  c: Context,
  who: Caller,
  operation: string,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  const path = new URL(c.req.url).pathname.replace(/^\/storage\/v1/, "");
  return asCaller(st.sql, who, { method: c.req.method, path, operation }, fn);
}

/** The JSON body, or `{}` when there is none or it is not an object. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  try {
    const body = await c.req.json();
    return body && typeof body === "object" && !Array.isArray(body) ? body : {};
  } catch {
    return {};
  }
}
