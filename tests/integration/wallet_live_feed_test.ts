/**
 * The wallet live feed reads the ledger's change log (ledger.wallet_changes) instead of NOTIFYs sent by the
 * postings (migration 20261201030100_wallet_change_log, lib/wallet/live_feed.ts): postings send no NOTIFY,
 * and no change of a watched wallet is lost or reordered, under concurrent postings and when a posting that
 * began earlier commits after later ones.
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import postgres from "postgres";
import { asUser, createUser, db, type TestUser } from "../_support/db.ts";
import { fund, key, walletOf } from "../_support/ledger.ts";
import { watchWallet } from "../../lib/wallet/watch.ts";
import { subscribeWallet, type WalletChange } from "../../lib/wallet/live_feed.ts";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Users with funded, watched wallets and the live feed's changes per user from now on. */
async function watchedUsers(count: number, funds: bigint) {
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++) users.push(await createUser(`live${i}`));
  for (const user of users) {
    await fund(user.id, funds);
    await asUser(user.claims, (tx) => watchWallet(tx, { session: "live-feed-test" }));
  }
  const seen = new Map<string, WalletChange[]>(users.map((u) => [u.id, []]));
  const unsubscribes = await Promise.all(
    users.map((user) => subscribeWallet(user.id, (change) => seen.get(change.user_id)!.push(change))),
  );
  const stop = async () => {
    for (const unsubscribe of unsubscribes) await unsubscribe();
  };
  return { users, seen, stop };
}

const postTransfer = (from: string, to: string, amount: bigint) =>
  sql`select ledger.post_transfer(${from}::uuid, ${to}::uuid, ${amount}::bigint, ${key("live")})`.execute(
    db(),
  );

/** Waits (up to 5 s) until `done` holds. */
async function until(done: () => boolean) {
  for (let i = 0; i < 250 && !done(); i++) await wait(20);
}

Deno.test("[wallet live feed] postings to watched wallets send no NOTIFY, and the feed still gets the change", async () => {
  const { users: [alice, bob], seen, stop } = await watchedUsers(2, 1_000n);
  const raw = postgres(Deno.env.get("DATABASE_URL")!, { max: 1, onnotice: () => {} });
  const notified: string[] = [];
  const listening = await raw.listen("wallet_changed", (payload) => notified.push(payload));
  try {
    await postTransfer(alice.id, bob.id, 300n);
    await until(() => seen.get(bob.id)!.length >= 1 && seen.get(alice.id)!.length >= 1);
    await wait(200);
    assertEquals(notified, [], "a NOTIFY in the posting transaction serialises every commit");
    assertEquals(seen.get(alice.id)!.map((c) => [c.balance, c.held, c.available]), [["700", "0", "700"]]);
    assertEquals(seen.get(bob.id)!.map((c) => [c.balance, c.held, c.available]), [["1300", "0", "1300"]]);
  } finally {
    await listening.unlisten();
    await raw.end();
    await stop();
  }
});

Deno.test("[wallet live feed] a posting reads no watcher table: the wallet row says whether it is watched", async () => {
  // A query on ledger.wallet_watchers per posting had a plan that depended on that table's statistics
  // (seen empty once, it was scanned whole for every posting however many rows it held later).
  const { users: [alice, bob], seen, stop } = await watchedUsers(2, 1_000n);
  try {
    const scans = await db().transaction().execute(async (tx) => {
      await sql`select ledger.post_transfer(${alice.id}::uuid, ${bob.id}::uuid, 10::bigint, ${key()})`
        .execute(tx);
      const { rows: [row] } = await sql<{ scans: string }>`
        select pg_stat_get_xact_numscans('ledger.wallet_watchers'::regclass)::text as scans`.execute(tx);
      return Number(row.scans);
    });
    assertEquals(scans, 0);
    await until(() => seen.get(bob.id)!.length >= 1);
    assertEquals(seen.get(bob.id)!.map((c) => c.balance), ["1010"]);
  } finally {
    await stop();
  }
});

Deno.test("[wallet live feed] no change is lost or reordered under concurrent postings", async () => {
  const start = 1_000_000n;
  const { users, seen, stop } = await watchedUsers(6, start);
  try {
    // 8 workers × 25 transfers between random pairs; every amount is different, so each wallet's sequence
    // of balances says which transfers it saw and in which order.
    const expected = new Map<string, bigint[]>(users.map((u) => [u.id, []]));
    let next = 1n;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 25; i++) {
        const a = Math.floor(Math.random() * users.length);
        const b = (a + 1 + Math.floor(Math.random() * (users.length - 1))) % users.length;
        const amount = next++;
        expected.get(users[a].id)!.push(-amount);
        expected.get(users[b].id)!.push(amount);
        await postTransfer(users[a].id, users[b].id, amount);
      }
    }));
    await until(() => users.every((u) => seen.get(u.id)!.length >= expected.get(u.id)!.length));
    for (const user of users) {
      const changes = seen.get(user.id)!;
      const final = (await walletOf(user.id)).balance;
      assertEquals(
        changes.length,
        expected.get(user.id)!.length,
        `every change of ${user.email} arrives once`,
      );
      assertEquals(BigInt(changes.at(-1)!.balance), final, "the last change is the wallet's balance now");
      // Consecutive balances differ by exactly this wallet's transfers: none lost, none twice, in order.
      const deltas = changes.map((c, i) =>
        BigInt(c.balance) - (i === 0 ? start : BigInt(changes[i - 1].balance))
      );
      const sort = (xs: bigint[]) => xs.toSorted((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      assertEquals(sort(deltas), sort(expected.get(user.id)!));
    }
  } finally {
    await stop();
  }
});

Deno.test("[wallet live feed] a posting that began before later ones and commits after them still arrives", async () => {
  const { users: [alice, bob, carol, dave], seen, stop } = await watchedUsers(4, 1_000n);
  try {
    // The slow posting's transaction id is older than the others', and its row in the log is written
    // before theirs: a reader that only remembered the last row it read would skip it.
    const slow = db().transaction().execute(async (tx) => {
      await sql`select ledger.post_transfer(${alice.id}::uuid, ${bob.id}::uuid, 5::bigint, ${key("slow")})`
        .execute(tx);
      await wait(600);
    });
    await wait(100);
    for (let i = 1; i <= 3; i++) await postTransfer(carol.id, dave.id, BigInt(i));
    await until(() => seen.get(dave.id)!.length >= 3);
    await wait(2 * 100);
    assertEquals(seen.get(bob.id)!.length, 0, "not before it commits");
    await slow;
    await until(() => seen.get(bob.id)!.length >= 1);
    assertEquals(seen.get(alice.id)!.map((c) => c.balance), ["995"]);
    assertEquals(seen.get(bob.id)!.map((c) => c.balance), ["1005"]);
    assertEquals(seen.get(dave.id)!.map((c) => c.balance), ["1001", "1003", "1006"]);
  } finally {
    await stop();
  }
});

Deno.test("[wallet live feed] the feed stops reading when its last subscriber leaves, and starts again", async () => {
  const { users: [alice, bob], seen, stop } = await watchedUsers(2, 100n);
  await stop();
  await postTransfer(alice.id, bob.id, 10n);
  const again = await subscribeWallet(bob.id, (change) => seen.get(bob.id)!.push(change));
  try {
    await postTransfer(alice.id, bob.id, 20n);
    await until(() => seen.get(bob.id)!.length >= 1);
    await wait(200);
    assert(seen.get(alice.id)!.length === 0, "alice has no subscriber any more");
    assertEquals(
      seen.get(bob.id)!.map((c) => c.balance),
      ["130"],
      "history before subscribing is not replayed",
    );
  } finally {
    await again();
  }
});
