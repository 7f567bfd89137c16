/**
 * Storage API errors (spec §1.4): body `{statusCode: "<logical status>", code, error, message}`, sent with HTTP
 * 400 for every storage error except logical 500 (HTTP 500); unknown routes answer HTTP 404.
 */
import type { Context } from "hono";

export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly error: string,
    message: string,
    /** The HTTP status when it is not 400 (500s, the service-role check). */
    readonly httpStatus = status >= 500 ? 500 : 400,
  ) {
    super(message);
  }
}

export const noSuchKey = () => new StorageError(404, "NoSuchKey", "not_found", "Object not found");
export const noSuchBucket = () =>
  new StorageError(404, "NoSuchBucket", "Bucket not found", "Bucket not found");
export const accessDenied = (message = "new row violates row-level security policy") =>
  new StorageError(403, "AccessDenied", "Unauthorized", message);
export const keyAlreadyExists = () =>
  new StorageError(409, "KeyAlreadyExists", "Duplicate", "The resource already exists");
export const bucketAlreadyExists = () =>
  new StorageError(409, "BucketAlreadyExists", "Duplicate", "The resource already exists");
export const entityTooLarge = () =>
  new StorageError(
    413,
    "EntityTooLarge",
    "Payload too large",
    "The object exceeded the maximum allowed size",
  );
export const invalidMimeType = (message: string) =>
  new StorageError(415, "InvalidMimeType", "invalid_mime_type", message);
export const invalidKey = (key: string) =>
  new StorageError(400, "InvalidKey", "InvalidKey", `Invalid key: ${key}`);
export const invalidBucketName = () =>
  new StorageError(400, "InvalidBucketName", "Invalid Input", "Bucket name invalid");
export const invalidRequest = (message: string) =>
  new StorageError(400, "InvalidRequest", "InvalidRequest", message);
export const invalidJwt = (message: string) => new StorageError(400, "InvalidJWT", "InvalidJWT", message);
export const invalidSignature = (message = "Invalid signature") =>
  new StorageError(400, "InvalidSignature", "InvalidSignature", message);

/** Postgres errors the server maps (storage/database/errors.ts): 42501 → AccessDenied, 23505 → Duplicate. */
export function fromDatabase(error: unknown, duplicate: () => StorageError = keyAlreadyExists): unknown {
  const code = (error as { code?: string }).code;
  if (code === "42501") return accessDenied();
  if (code === "23505") return duplicate();
  return error;
}

export function errorResponse(c: Context, error: unknown): Response {
  if (!(error instanceof StorageError)) {
    console.error("[storage]", error);
    error = new StorageError(500, "InternalError", "Internal", "Internal Server Error");
  }
  const e = error as StorageError;
  return c.json(
    { statusCode: String(e.status), code: e.code, error: e.error, message: e.message },
    e.httpStatus as 400,
  );
}

export function notFoundResponse(c: Context): Response {
  return c.json(
    {
      statusCode: "404",
      error: "Not Found",
      message: `Route ${c.req.method}:${new URL(c.req.url).pathname.replace(/^\/storage\/v1/, "")} not found`,
      code: "InvalidRequest",
    },
    404,
  );
}
