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
 * Unsafe methods must send `Content-Type: application/json` (UTF-8: any other charset, or bytes that are
 * not UTF-8, are refused). A cross-site page can send a cookie-carrying
 * POST only as a "simple" request (form or text/plain content types), which Hono's csrf middleware checks
 * for forms; requiring JSON here closes the text/plain path, since JSON needs a CORS preflight we never grant.
 */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  const [type, ...params] = (c.req.header("content-type") ?? "").split(";");
  if (type.trim().toLowerCase() !== "application/json") throw requestErrors.refuse("json_required");
  const charset = jsonCharset(params);
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw requestErrors.refuse("json_required", { reason: "the charset must be utf-8" });
  }
  // Decoded strictly: a byte that is not UTF-8 is refused rather than read as U+FFFD and stored. The text is
  // kept as the body's text, so the JSON validator parses it instead of decoding the body a second time
  // (Hono would build a Response around the cached bytes to read them as text).
  let text: string;
  try {
    text = UTF8.decode(await c.req.arrayBuffer());
  } catch {
    throw requestErrors.refuse("bad_request", { reason: "the body is not valid UTF-8" });
  }
  // Hono keeps promises in bodyCache (its type says the values), as c.req.text() would have cached it.
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  await next();
});

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The `charset` parameter of a Content-Type (lower case, quotes removed), if it has one. */
function jsonCharset(params: string[]): string | undefined {
  for (const param of params) {
    const [name, value = ""] = param.split("=");
    if (name.trim().toLowerCase() === "charset") return value.trim().replace(/^"(.*)"$/, "$1").toLowerCase();
  }
  return undefined;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key` header (1..255 visible ASCII characters), or a 400. */
export function idempotencyKey(c: AppContext): string {
  const value = c.req.header("idempotency-key");
  if (value === undefined || value === "") throw requestErrors.refuse("idempotency_key_required");
  if (!KEY.test(value)) throw requestErrors.refuse("invalid_idempotency_key");
  return value;
}
