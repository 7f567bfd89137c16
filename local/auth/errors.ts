/** GoTrue's error types and their two wire formats (internal/api/errors.go; spec §1 and §4). */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const API_VERSION_HEADER = "X-Supabase-Api-Version";

/** An HTTP error with a GoTrue error code; `weakPassword` adds the `weak_password.reasons` payload. */
export class AuthError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly weakPasswordReasons?: string[],
  ) {
    super(message);
  }
}

/** OAuth-style errors (`{error, error_description}`, always 400), e.g. from the token endpoint. */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);
export const tooManyRequests = (code: string, message: string) => new AuthError(429, code, message);
export const internal = (message: string) => new AuthError(500, "unexpected_failure", message);
export const validationFailed = (message: string) => badRequest("validation_failed", message);

/** True when the request asked for the 2024-01-01 API (auth-js always does). */
export function usesApiVersion2024(c: Context): boolean {
  const value = c.req.header(API_VERSION_HEADER) ?? "";
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && value >= "2024-01-01";
}

/** Renders any error the way GoTrue does; unknown errors become a logged 500 unexpected_failure. */
export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof OAuthError) {
    return c.json({ error: err.error, error_description: err.description }, 400);
  }
  const known = err instanceof AuthError ? err : new AuthError(
    500,
    "unexpected_failure",
    "Unexpected failure, please check server logs for more information",
  );
  if (!(err instanceof AuthError)) console.error("[auth emulator]", err);
  c.header("x-sb-error-code", known.code);
  const weak = known.weakPasswordReasons ? { weak_password: { reasons: known.weakPasswordReasons } } : {};
  if (usesApiVersion2024(c)) {
    c.header(API_VERSION_HEADER, "2024-01-01");
    return c.json({ code: known.code, message: known.message, ...weak }, known.status);
  }
  const errorId = known.status >= 500 ? { error_id: crypto.randomUUID() } : {};
  return c.json(
    { code: known.status, error_code: known.code, msg: known.message, ...errorId, ...weak },
    known.status,
  );
}
