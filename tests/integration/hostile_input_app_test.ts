/**
 * The findings of the fuzz run (issue 11, items 10–14) through the whole app: each answered 500 before, or
 * (a lone surrogate in a transfer note) was stored altered as U+FFFD. Now each is a 400 and nothing moves.
 */
import { assertEquals } from "@std/assert";
import { sql } from "kysely";
import { createApp } from "../../main.ts";
import { db } from "../_support/db.ts";
import { fund } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { encodeCursor } from "../../lib/wallet/cursor.ts";
import { caller, withApiStack } from "./wallet_api_client.ts";

Deno.test("[hostile input] API — lone surrogates, NUL, 2^63 ids, 19-digit cursors and year 0000 are 400s", async () => {
  await withApiStack(async (stack) => {
    const app = createApp();
    const [payer, payee, finance] = await Promise.all([
      caller(stack, "hostile-payer"),
      caller(stack, "hostile-payee"),
      caller(stack, "hostile-finance", "finance"),
    ]);
    await fund(payer.id, 100_000n);
    const call = async (
      who: { token: string },
      method: string,
      path: string,
      body?: BodyInit,
      type?: string,
    ) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${who.token}`,
        "accept-language": "en",
      };
      if (body !== undefined) {
        headers["content-type"] = type ?? "application/json";
        headers["idempotency-key"] = crypto.randomUUID();
      }
      const res = await app.request(path, { method, headers, body });
      return { status: res.status, body: await res.json() };
    };

    // A transfer note with a lone surrogate was stored as U+FFFD (201); a NUL gave 500.
    for (const note of ["\ud800", "a\u0000b"]) {
      const res = await call(
        payer,
        "POST",
        "/api/v1/wallet/transfers",
        JSON.stringify({ to: payee.email, amount: 10, note }),
      );
      assertEquals([res.status, res.body.error?.code], [400, "invalid_input"], note);
    }
    // Bytes that are not UTF-8 were read as U+FFFD; another charset was read as if it were UTF-8.
    const bytes = new TextEncoder().encode(JSON.stringify({ to: payee.email, amount: 10, note: "X" }));
    bytes[bytes.indexOf(0x58)] = 0xff;
    assertEquals((await call(payer, "POST", "/api/v1/wallet/transfers", bytes)).status, 400);
    const latin1 = JSON.stringify({ to: payee.email, amount: 10 });
    assertEquals(
      (await call(payer, "POST", "/api/v1/wallet/transfers", latin1, "application/json; charset=iso-8859-1"))
        .status,
      415,
    );
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ledger.transactions t
      join ledger.entries e on e.transaction_id = t.id
      join ledger.accounts a on a.id = e.account_id where a.user_id = ${payee.id}::uuid`.execute(db());
    assertEquals(rows[0].n, 0, "no transfer reached the payee");

    // Year zero in a statement filter, an id of 2^63, a cursor part of 19 nines.
    for (const from of ["0000-01-01", "0001-01-01", "0000-12-31"]) {
      assertEquals((await call(payer, "GET", `/api/v1/wallet/entries?from=${from}`)).status, 400, from);
    }
    const cursor = encodeCursor(["9999999999999999999", "1"]);
    const paged = await call(payer, "GET", `/api/v1/wallet/entries?cursor=${cursor}`);
    assertEquals([paged.status, paged.body.error.code], [400, "invalid_cursor"]);
    for (const id of ["9223372036854775808", "9999999999999999999"]) {
      const approve = await call(
        finance,
        "POST",
        `/api/v1/admin/withdrawals/${id}/approve`,
        JSON.stringify({ bank_reference: "REF" }),
      );
      assertEquals(approve.status, 400, id);
    }
    // The largest int8 is a valid id: no such withdrawal.
    const largest = await call(
      finance,
      "POST",
      "/api/v1/admin/withdrawals/9223372036854775807/reject",
      JSON.stringify({ reason: "no such one" }),
    );
    assertEquals([largest.status, largest.body.error.code], [404, "withdrawal_not_found"]);
    await assertLedgerInvariants();
  });
});
