/** Opaque keyset cursors for wallet lists: the position of the last row shown, base64url-encoded. */
import { requestErrors } from "../errors.ts";
import { isInt8 } from "../http/schemas.ts";

/** Encodes integer key parts (e.g. transaction id and leg) as an opaque cursor. */
export function encodeCursor(parts: (string | number)[]): string {
  return btoa(parts.join(".")).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes a cursor into `count` integer parts (as strings, since ids are bigints), or InvalidCursor (each
 * part must fit Postgres' int8: a 19-digit part above 2^63 - 1 would overflow in SQL). */
export function decodeCursor(cursor: string, count: number): string[] {
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    throw requestErrors.refuse("invalid_cursor");
  }
  const parts = text.split(".");
  if (parts.length !== count || !parts.every(isInt8)) {
    throw requestErrors.refuse("invalid_cursor");
  }
  return parts;
}

/** Clamps a page size to 1..100 (default 20). */
export function pageSize(limit: number | undefined): number {
  return Math.min(100, Math.max(1, Math.trunc(limit ?? 20)));
}
