/**
 * Errors of the JSON API (/api/v1): `{error: {code, message}}` with the message in the request's locale.
 * Codes with a key `api.error.<code>` in lib/i18n are translated; others keep the domain error's text.
 */
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { DomainError } from "../http/errors.tsx";
import type { AppContext, AppEnv } from "../http/env.ts";
import { en } from "../i18n/en.ts";
import type { MessageKey } from "../i18n/mod.ts";

type ApiStatus = 400 | 401 | 403 | 404 | 409 | 415 | 422 | 429 | 500;

/** An API refusal that is not a domain rule (bad header, wrong content type, missing key). */
export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

/** The localized message for `code`, or `fallback` when the catalogue has none. */
export function apiMessage(
  c: AppContext,
  code: string,
  fallback: string,
  params: Record<string, string | number> = {},
): string {
  const key = `api.error.${code}`;
  return key in en ? c.var.t(key as MessageKey, params) : fallback;
}

export function apiErrorResponse(
  c: AppContext,
  status: ApiStatus,
  code: string,
  message: string,
): Response {
  return c.json({ error: { code, message } }, status);
}

/** The API's error handler: domain and API errors keep their status; anything else is a logged 500. */
export const apiOnError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ApiError) {
    return apiErrorResponse(c, err.status, err.code, apiMessage(c, err.code, err.code, err.params));
  }
  if (err instanceof DomainError) {
    return apiErrorResponse(c, err.status, err.code, apiMessage(c, err.code, err.message));
  }
  if (err instanceof HTTPException && err.status < 500) {
    const status = ([400, 401, 403, 404, 409, 415, 422, 429] as const).find((s) => s === err.status) ?? 400;
    return apiErrorResponse(c, status, "bad_request", apiMessage(c, "bad_request", err.message));
  }
  console.error(
    JSON.stringify({ level: "error", requestId: c.var.requestId, error: String(err?.stack ?? err) }),
  );
  return apiErrorResponse(c, 500, "internal", apiMessage(c, "internal", "Internal error"));
};
