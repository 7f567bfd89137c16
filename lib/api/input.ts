/**
 * Edge checks of the JSON API: zod on every input (a failure is a 400 naming the field, in the request's
 * language), JSON-only bodies and the Idempotency-Key header. (API keys: lib/apikeys/store.ts.)
 */
import { createMiddleware } from "hono/factory";
import type { AppContext, AppEnv } from "../http/env.ts";
import { requestErrors } from "../errors.ts";
import { validate } from "../http/validate.ts";

/** The API validates like the pages: the one error mapper names the first bad field in a localized 400. */
export const apiInput = validate;

/**
 * Unsafe methods must send `Content-Type: application/json`. A cross-site page can send a cookie-carrying
 * POST only as a "simple" request (form or text/plain content types), which Hono's csrf middleware checks
 * for forms; requiring JSON here closes the text/plain path, since JSON needs a CORS preflight we never grant.
 */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw requestErrors.refuse("json_required");
  await next();
});

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key` header (1..255 visible ASCII characters), or a 400. */
export function idempotencyKey(c: AppContext): string {
  const value = c.req.header("idempotency-key");
  if (value === undefined || value === "") throw requestErrors.refuse("idempotency_key_required");
  if (!KEY.test(value)) throw requestErrors.refuse("invalid_idempotency_key");
  return value;
}
