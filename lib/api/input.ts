/**
 * Edge checks of the JSON API: zod on every input (a failure is a 400 naming the field, in the request's
 * language), JSON-only bodies, the Idempotency-Key header, and the secret key for service calls.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { zValidator } from "@hono/zod-validator";
import { createMiddleware } from "hono/factory";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { config } from "../config.ts";
import type { AppContext, AppEnv } from "../http/env.ts";
import { firstIssue } from "../http/errors.tsx";
import { ApiError, apiErrorResponse, apiMessage } from "./errors.ts";

/** `validate(target, schema)` for the API: the first bad field is named in a localized 400. */
export function apiInput<T extends ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const { field, message: problem } = firstIssue(result.error, target);
      const ctx = c as unknown as AppContext;
      const message = apiMessage(ctx, "invalid_input", `${field}: ${problem}`, { field });
      return apiErrorResponse(ctx, 400, "invalid_input", `${message} (${problem})`);
    }
  });
}

/**
 * Unsafe methods must send `Content-Type: application/json`. A cross-site page can send a cookie-carrying
 * POST only as a "simple" request (form or text/plain content types), which Hono's csrf middleware checks
 * for forms; requiring JSON here closes the text/plain path, since JSON needs a CORS preflight we never grant.
 */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new ApiError(415, "json_required");
  await next();
});

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key` header (1..255 visible ASCII characters), or a 400. */
export function idempotencyKey(c: AppContext): string {
  const value = c.req.header("idempotency-key");
  if (value === undefined || value === "") throw new ApiError(400, "idempotency_key_required");
  if (!KEY.test(value)) throw new ApiError(400, "invalid_idempotency_key");
  return value;
}

/** Compares the digests, so the time taken says nothing about the key (nor its length). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return expected.length > 0 && timingSafeEqual(digest(given), digest(expected));
}

/** Continues only for `Authorization: Bearer <secret key>` or `apikey: <secret key>` (service callers). */
export const requireSecretKey = createMiddleware<AppEnv>(async (c, next) => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const given = bearer ?? c.req.header("apikey");
  if (!given) throw new ApiError(401, "secret_key_required");
  if (!sameSecret(given, config().secretKey)) throw new ApiError(403, "secret_key_invalid");
  await next();
});
