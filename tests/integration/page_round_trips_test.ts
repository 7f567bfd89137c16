/**
 * A signed-in page GET reads in one transaction (two round trips: the claims with the reads, then COMMIT),
 * the header bell's unread count included (lib/notifications/bell.ts), and the /wallet page's counterparties
 * too. Counted as connection reservations from the app's pools (every transaction and every query outside
 * one reserves), with the bell's number checked against the database.
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { RenewedPool } from "../../lib/db/client.ts";
import { asService, db } from "../_support/db.ts";
import { fund } from "../_support/ledger.ts";
import { Client, createAccount, signIn, withStack } from "./auth_http_client.ts";

let reservations = 0;
const reserve = RenewedPool.prototype.reserve;
RenewedPool.prototype.reserve = function (this: RenewedPool) {
  reservations++;
  return reserve.call(this);
};

async function unreadOf(userId: string): Promise<number> {
  const [{ n }] = (await sql<{ n: number }>`select count(*)::int as n from public.notifications
    where user_id = ${userId} and read_at is null`.execute(db())).rows;
  return n;
}

async function emit(userId: string, n: number) {
  await asService((tx) =>
    sql`select notifications.emit('transfer.received', ${userId}::uuid, ${
      JSON.stringify({ amount: "10000", sender: "Kian", transaction_id: String(n) })
    }::text::jsonb, ${`round-trips-${n}`})`.execute(tx)
  );
}

Deno.test("[pages] a signed-in page GET is one transaction, the bell's count and the counterparties in it", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "round-trips");
    const peer = await createAccount(stack, "round-trips-peer");
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(client, account);
    await fund(account.id, 1_000_000n);
    // A transfer each way, so that the history has counterparties to name.
    await sql`select ledger.post_transfer(${account.id}::uuid, ${peer.id}::uuid, 20000, 'rt-out')`.execute(
      db(),
    );
    await fund(peer.id, 1_000_000n);
    await sql`select ledger.post_transfer(${peer.id}::uuid, ${account.id}::uuid, 30000, 'rt-in')`.execute(
      db(),
    );
    // The incoming transfer's own notice, made now rather than whenever another test's dispatcher expands the
    // captured legs (which would change the count between reading it and the page).
    await asService((tx) => sql`select notifications.expand_ledger_events()`.execute(tx));
    for (let n = 1; n <= 3; n++) await emit(account.id, n);
    const unread = await unreadOf(account.id);
    assert(unread >= 3);

    const pages = ["/profile", "/wallet/transfer", "/wallet/withdrawals", "/tickets", "/wallet"];
    for (const path of pages) await (await client.get(path)).body?.cancel(); // warm caches (role permissions)
    for (const path of pages) {
      reservations = 0;
      const res = await client.get(path);
      const html = await res.text();
      assertEquals(res.status, 200, path);
      assert(html.includes(`data-unread="${unread}"`), `${path}: the bell shows ${unread}`);
      if (path === "/wallet") {
        assert(html.includes('class="counterparty-name"'), "/wallet names the other side");
      }
      assertEquals(reservations, 1, `${path}: one transaction`);
    }

    // A page whose read is refused (a receipt that is not there) still shows the bell's count.
    reservations = 0;
    const missing = await client.get("/wallet/receipts/999999999");
    const html = await missing.text();
    assertEquals(missing.status, 404);
    assert(html.includes(`data-unread="${unread}"`), "the error page's bell");
    assert(reservations <= 2, `the refused page: ${reservations} transactions`);
  });
});

Deno.test("[pages] private.history_counterparties masks handles exactly as the app does, for the caller's own transfers only", async () => {
  const { createUser } = await import("../_support/db.ts");
  const { asUser } = await import("../../lib/db/client.ts");
  const { ownCounterparties } = await import("../../lib/wallet/counterparties.ts");
  const { maskEmail } = await import("../../lib/wallet/recipient.ts");
  const { maskPhone } = await import("../../lib/users/phone.ts");
  const me = await createUser("mask-me");
  const stranger = await createUser("mask-stranger");
  await fund(me.id, 10_000_000n);
  // Unique per run: other test files share the database (auth.users keeps emails and phones unique).
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
  const handles: { email: string | null; phone: string | null }[] = [
    { email: `reza-${digits(8)}@example.com`, phone: null },
    { email: "", phone: `98912${digits(7)}` },
    { email: null, phone: `98935${digits(7)}` },
    { email: null, phone: `4477009${digits(5)}` },
    { email: `no-at-sign-${digits(8)}`, phone: null },
    { email: null, phone: null },
  ];
  const ids: string[] = [];
  for (const [n, handle] of handles.entries()) {
    const other = await createUser(`mask-${n}`);
    await sql`update auth.users set email = ${handle.email}, phone = ${handle.phone},
      phone_confirmed_at = case when ${handle.phone}::text is null then null else now() end where id = ${other.id}`
      .execute(db());
    const [{ id }] = (await sql<{ id: string }>`select ledger.post_transfer(${me.id}::uuid, ${other.id}::uuid,
      1000, ${`mask-${n}-${crypto.randomUUID()}`})::text as id`.execute(db())).rows;
    ids.push(id);
  }
  const seen = await asUser(me.claims, (tx) => ownCounterparties(tx, ids));
  for (const [n, handle] of handles.entries()) {
    const expected = handle.email ? maskEmail(handle.email) : handle.phone ? maskPhone(handle.phone) : "***";
    assertEquals(seen.get(ids[n])?.masked, expected, JSON.stringify(handle));
  }
  // Someone else asking about these transfers learns nothing.
  assertEquals((await asUser(stranger.claims, (tx) => ownCounterparties(tx, ids))).size, 0);
});
