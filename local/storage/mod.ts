/**
 * The local Storage API stand-in: a storage-api-compatible HTTP API mounted on the gateway at /storage/v1,
 * so supabase-js `storage` works unchanged (shared/specs/supabase-storage-and-phone.md Part 1). Metadata
 * lives in the real storage.buckets / storage.objects tables (local/sql/supabase_shim.sql) and every request
 * runs its SQL with the caller's claims, so the same RLS policies as hosted decide; bytes live on disk.
 *
 * Endpoints: GET /bucket, GET|PUT|DELETE /bucket/{id}, POST /bucket, POST /bucket/{id}/empty;
 * POST|PUT /object/{bucket}/{path} (upload, x-upsert; update), GET|HEAD /object/{bucket}/{path},
 * /object/authenticated/..., /object/public/..., GET /object/info/{bucket}/{path},
 * POST /object/list/{bucket}, DELETE /object/{bucket} {prefixes}, POST /object/sign/{bucket}/{path},
 * POST /object/sign/{bucket} {paths}, GET /object/sign/{bucket}/{path}?token=.
 * Not emulated: move/copy, signed upload URLs, image transforms, TUS, the S3 protocol.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type postgres from "postgres";
import type { LocalKeys } from "../keys.ts";
import { bucketRoutes } from "./buckets.ts";
import type { StorageEmulator } from "./context.ts";
import { errorResponse, notFoundResponse } from "./errors.ts";
import { FileStore } from "./files.ts";
import { objectRoutes } from "./objects.ts";

export type { StorageEmulator } from "./context.ts";

export interface StorageOptions {
  sql: postgres.Sql;
  keys: LocalKeys;
  /** Where the bytes go: `<root>/<bucket>/<path>/<version>` (the stack uses .local/storage). */
  root: string;
  /** The clock for signed-URL expiry (tests move it). */
  now?: () => Date;
}

/** The Hono app to mount at "/storage/v1". */
export function createStorageEmulator(options: StorageOptions): Hono {
  const st: StorageEmulator = {
    sql: options.sql,
    keys: options.keys,
    files: new FileStore(options.root),
    now: options.now ?? (() => new Date()),
  };
  const app = new Hono();
  app.use(
    "*",
    cors({
      origin: "*",
      allowMethods: ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"],
      exposeHeaders: ["Content-Length", "Content-Range", "ETag", "Last-Modified", "Content-Disposition"],
      maxAge: 3600,
    }),
  );
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => notFoundResponse(c));
  bucketRoutes(app, st);
  objectRoutes(app, st);
  return app;
}
