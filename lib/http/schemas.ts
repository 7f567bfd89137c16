/**
 * The input schemas every edge shares (pages, forms, the JSON API, the Edge Functions), so a hostile value is
 * a 400 the same way everywhere instead of reaching Postgres and failing there as a 500:
 *
 * - `int8Id`: a positive bigint id, as a string, that fits Postgres' int8 (at most 2^63 - 1);
 * - `text()`: a string without NUL (Postgres text cannot hold it) or lone UTF-16 surrogates (no UTF-8 for
 *   them: stored silently as U+FFFD, or refused by jsonb);
 * - `MIN_YEAR`/`MAX_YEAR`: the years a date or timestamp may name (year 0 and 0001 overflow Postgres or
 *   the Tehran-day arithmetic).
 */
import { z } from "zod";

/** The largest value of Postgres' int8 (bigint). */
export const INT8_MAX = 9223372036854775807n;

/** A Hono route parameter pattern for ids (`/:id{…}`); the value is then checked by `int8Id`. */
export const ID_PATTERN = "[1-9][0-9]{0,18}";

const ID = new RegExp(`^${ID_PATTERN}$`);

/** True for the decimal text of an integer 1..2^63-1. */
export function isInt8Id(text: string): boolean {
  return ID.test(text) && BigInt(text) <= INT8_MAX;
}

/** A numeric id as a string: 1 to 2^63 - 1 (Postgres int8); anything else is invalid input. */
export const int8Id = z.string().refine(isInt8Id, "expected an id between 1 and 9223372036854775807")
  .describe("A numeric id, as a string.")
  .meta({ pattern: `^${ID_PATTERN}$` });

/** A non-negative integer as a string that fits int8 (keyset positions such as a transaction leg). */
export function isInt8(text: string): boolean {
  return /^[0-9]{1,19}$/.test(text) && BigInt(text) <= INT8_MAX;
}

/** A lone (unpaired) UTF-16 surrogate, or NUL. */
// deno-lint-ignore no-control-regex -- NUL is exactly what this refuses
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `text` can be stored as Postgres text and sent as UTF-8 unchanged. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * A string that Postgres can store as given: no NUL, no lone surrogate. Every text input goes through this
 * (chain `.trim().min().max()` etc. after it); `message` is the text (a form's catalogue key).
 */
export function text(message = "must not contain NUL or unpaired surrogate characters") {
  return z.string().refine(isStorableText, message);
}

/** The years a date may name: Postgres and the Tehran-day arithmetic are safe well inside these. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

/** True when the (4-digit) year at the start of an ISO date or timestamp is within MIN_YEAR..MAX_YEAR. */
export function isBoundedYear(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

const yearMessage = `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`;

/** An ISO calendar day (YYYY-MM-DD) in MIN_YEAR..MAX_YEAR. */
export const isoDay = z.iso.date().refine(isBoundedYear, yearMessage);

/** An ISO timestamp with an offset, in MIN_YEAR..MAX_YEAR. */
export const isoTimestamp = z.iso.datetime({ offset: true }).refine(isBoundedYear, yearMessage);
