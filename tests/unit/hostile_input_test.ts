/**
 * Hostile input refused at the edge (issue 11, items 10–14): ids beyond int8, cursors beyond int8, NUL and
 * lone surrogates in text, year-zero dates, non-UTF-8 JSON bodies and charsets, and SQL details that must
 * never reach a client. Each case here answered 500 (or was stored altered, or leaked) before.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";

const assertFalse = (condition: boolean, message?: string) => assert(!condition, message);
import { Hono } from "hono";
import { ApproveBody, ChargeBody, EntriesQuery, IdParam, TransferBody } from "../../lib/wallet/api.ts";
import { decodeCursor, encodeCursor } from "../../lib/wallet/cursor.ts";
import { decodeCursor as decodeUserCursor } from "../../lib/users/admin.ts";
import { parseCalendarDay } from "../../lib/i18n/calendar_date.ts";
import { describeError, fromDatabaseError, requestErrors } from "../../lib/errors.ts";
import "../../lib/wallet/errors.ts";
import { requireJson } from "../../lib/api/input.ts";
import { onError } from "../../routes/_error.tsx";
import type { AppEnv } from "../../lib/http/env.ts";
import { emailField } from "../../lib/auth/fields.ts";

const user = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";

Deno.test("[input] ids — 2^63 and 19 nines are invalid, the largest int8 is an id", () => {
  for (const id of ["9223372036854775808", "9999999999999999999"]) {
    assertFalse(IdParam.safeParse({ id }).success, id);
  }
  assert(IdParam.safeParse({ id: "9223372036854775807" }).success);
  assert(IdParam.safeParse({ id: "1" }).success);
  assertFalse(IdParam.safeParse({ id: "0" }).success);
});

Deno.test("[input] cursors — a 19-digit part beyond int8 is an invalid cursor, not a SQL overflow", () => {
  const overflowing = encodeCursor(["9999999999999999999", "1"]);
  const error = assertThrows(() => decodeCursor(overflowing, 2));
  assert(requestErrors.is(error, "invalid_cursor"));
  assertEquals(decodeCursor(encodeCursor(["9223372036854775807", "0"]), 2), ["9223372036854775807", "0"]);
  // The user list's cursor: a timestamp Postgres cannot read, or no uuid, is no cursor at all.
  const userCursor = (parts: unknown[]) => btoa(JSON.stringify(parts));
  assertEquals(decodeUserCursor(userCursor(["0000-01-01T00:00:00Z", user])), undefined);
  assertEquals(decodeUserCursor(userCursor(["2026-11-29 10:00:00.123456+00", "-".repeat(36)])), undefined);
  assert(decodeUserCursor(userCursor(["2026-11-29 10:00:00.123456+00", user])));
});

Deno.test("[input] text — NUL and lone surrogates are refused in every text field; real pairs are kept", () => {
  const hostile = ["\u0000", "a\u0000b", "\ud800", "x\udfffy", "\udc00\ud800"];
  for (const bad of hostile) {
    assertFalse(TransferBody.safeParse({ to: "a@b.test", amount: 1, note: bad }).success, `note ${bad}`);
    assertFalse(TransferBody.safeParse({ to: `a${bad}@b.test`, amount: 1 }).success, `to ${bad}`);
    assertFalse(ChargeBody.safeParse({ user_id: user, amount: 1, description: `d${bad}` }).success);
    assertFalse(ApproveBody.safeParse({ bank_reference: `r${bad}` }).success);
    assertFalse(emailField.safeParse(`a${bad}@b.test`).success);
  }
  const emoji = TransferBody.safeParse({ to: "a@b.test", amount: 1, note: "🙂 سلام" });
  assert(emoji.success);
  assertEquals(emoji.data.note, "🙂 سلام");
});

Deno.test("[input] dates — year 0000 and 0001 are refused (API dates, timestamps and typed days)", () => {
  for (const from of ["0000-01-01", "0001-01-01", "0000-12-31", "0000-01-01T00:00:00Z", "9999-12-31"]) {
    assertFalse(EntriesQuery.safeParse({ from }).success, from);
  }
  assert(EntriesQuery.safeParse({ from: "2026-11-24", to: "2026-11-29T10:00:00+03:30" }).success);
  assertEquals(parseCalendarDay("0001-01-01"), undefined);
  assertEquals(parseCalendarDay("9999-12-31"), undefined);
  assertEquals(parseCalendarDay("2026-11-24"), "2026-11-24");
  assertEquals(parseCalendarDay("۱۴۰۵/۰۹/۰۳"), "2026-11-24");
});

Deno.test("[input] JSON bodies — another charset is refused (415), bytes that are not UTF-8 too (400)", async () => {
  const app = new Hono<AppEnv>().onError(onError).post(
    "/x",
    requireJson,
    async (c) => c.json(await c.req.json()),
  );
  const post = (type: string, body: BodyInit) =>
    app.request("/x", { method: "POST", headers: { "content-type": type }, body });
  assertEquals((await post("application/json; charset=latin1", "{}")).status, 415);
  assertEquals((await post("application/json; charset=utf-16", "{}")).status, 415);
  const invalid = await post(
    "application/json",
    new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
  );
  assertEquals(invalid.status, 400);
  assertEquals((await invalid.json()).error.code, "bad_request");
  // UTF-8, said or not, is read as before.
  const ok = await post("application/json; charset=UTF-8", JSON.stringify({ a: "سلام" }));
  assertEquals([ok.status, await ok.json()], [200, { a: "سلام" }]);
  assertEquals((await post("application/json", "{}")).status, 200);
});

Deno.test("[errors] a SQL refusal's DETAIL (internal ids) never reaches the client; it is kept for the log", () => {
  const raised = Object.assign(new Error("insufficient_funds"), {
    code: "LW001",
    detail: "account 315 cannot cover 5000 rials",
  });
  const refusal = fromDatabaseError(raised);
  const answer = describeError(refusal);
  assertEquals(answer.code, "insufficient_funds");
  assertFalse(answer.message.includes("315"), answer.message);
  assertEquals(
    (refusal as { internalDetail?: string }).internalDetail,
    "account 315 cannot cover 5000 rials",
  );
});
