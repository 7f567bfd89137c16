/** Redirect URLs as GoTrue builds them (Go's url.Values.Encode sorts keys; `sb` marks Supabase Auth redirects). */
import type { AuthError } from "./errors.ts";

const encode = (params: Record<string, string>) =>
  new URLSearchParams(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString();

/** `url#k=v…` — appended as AccessTokenResponse.AsRedirectURL does, whatever `url` already holds. */
export function withFragment(url: string, params: Record<string, string>): string {
  return `${url}#${encode(params)}`;
}

/** Merges parameters into the query (prepPKCERedirectURL). */
export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  const merged: Record<string, string> = Object.fromEntries(u.searchParams);
  Object.assign(merged, params);
  u.search = encode(merged);
  return u.toString();
}

/** The OAuth error names GoTrue derives from HTTP statuses (oauthErrorMap). */
export function oauthErrorName(status: number): string | undefined {
  return ({
    400: "invalid_request",
    401: "unauthorized_client",
    403: "access_denied",
    500: "server_error",
    503: "temporarily_unavailable",
  } as Record<number, string>)[status];
}

/** prepErrorRedirectURL: error fields in the fragment, and for PKCE flows in the query too. */
export function errorRedirect(url: string, error: AuthError, pkce: boolean): string {
  const fields: Record<string, string> = { error_code: error.code, error_description: error.message };
  const name = oauthErrorName(error.status);
  if (name) fields.error = name;
  const u = new URL(url);
  if (pkce) {
    const merged: Record<string, string> = { ...Object.fromEntries(u.searchParams), ...fields };
    u.search = encode(merged);
  }
  u.hash = encode({ ...fields, sb: "" });
  return u.toString();
}

/** prepRedirectURL: an informational `message` (fragment; query too for PKCE). */
export function messageRedirect(url: string, message: string, pkce: boolean): string {
  const u = new URL(url);
  if (pkce) u.search = encode({ ...Object.fromEntries(u.searchParams), message });
  u.hash = encode({ message, sb: "" });
  return u.toString();
}
