import { assert, assertEquals } from "@std/assert";
import { asService, asUser, createUser } from "../_support/db.ts";
import { fund, key, rejectsWith } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { listEntries } from "../../lib/wallet/entries.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { charge } from "../../lib/wallet/postings.ts";

Deno.test("[wallet] owner — the summary shows balance, held and available", async () => {
  const alice = await createUser("alice");
  assertEquals((await asUser(alice.claims, (tx) => walletSummary(tx))).balance, 0n);
  await fund(alice.id, 1_234n);
  const wallet = await asUser(alice.claims, (tx) => walletSummary(tx));
  assertEquals([wallet.userId, wallet.balance, wallet.held, wallet.available], [
    alice.id,
    1_234n,
    0n,
    1_234n,
  ]);
});

Deno.test("[wallet] owner — the statement pages newest first by keyset, without gaps or repeats", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 100_000n);
  for (let i = 1; i <= 24; i++) {
    await asUser(
      alice.claims,
      (tx) => transfer(tx, { recipient: bob.email, amount: BigInt(i), idempotencyKey: key() }),
    );
  }
  const seen: bigint[] = [];
  let cursor: string | undefined;
  const sizes: number[] = [];
  do {
    const page = await asUser(alice.claims, (tx) => listEntries(tx, { limit: 10, cursor }));
    sizes.push(page.entries.length);
    seen.push(...page.entries.map((e) => e.amount));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  assertEquals(sizes, [10, 10, 5]);
  assertEquals(seen, [...Array.from({ length: 24 }, (_, i) => -BigInt(24 - i)), 100_000n]);
  await rejectsWith(
    () => asUser(alice.claims, (tx) => listEntries(tx, { cursor: "not-a-cursor" })),
    "invalid_cursor",
  );
});

Deno.test("[wallet] owner — the statement filters by kind and by date range", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 5_000n);
  await asUser(
    alice.claims,
    (tx) => transfer(tx, { recipient: bob.email, amount: 100n, idempotencyKey: key() }),
  );
  await asService((tx) => charge(tx, { userId: alice.id, amount: 30n, idempotencyKey: key() }));
  const kinds = async (options: Parameters<typeof listEntries>[1]) =>
    (await asUser(alice.claims, (tx) => listEntries(tx, options))).entries.map((e) => e.kind);
  assertEquals(await kinds({ kinds: ["transfer", "charge"] }), ["charge", "transfer"]);
  assertEquals(await kinds({ kinds: ["topup"] }), ["topup"]);
  const now = Date.now();
  assertEquals(await kinds({ from: new Date(now - 60_000), to: new Date(now + 60_000) }), [
    "charge",
    "transfer",
    "topup",
  ]);
  assertEquals(await kinds({ from: new Date(now + 60_000) }), []);
  assertEquals(await kinds({ to: new Date(now - 60_000) }), []);
  const [entry] = (await asUser(bob.claims, (tx) => listEntries(tx))).entries;
  assertEquals([entry.kind, entry.amount, entry.metadata.from_user], ["transfer", 100n, alice.id]);
  assert(entry.createdAt instanceof Date);
});

Deno.test("[wallet] invariants — hold after the statement tests", async () => {
  await assertLedgerInvariants();
});
