import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import type { DomainError } from "../../lib/errors.ts";
import { asService, asUser, createUser, db } from "../_support/db.ts";
import { fund, key, randomIban, rejectsWith, walletOf } from "../_support/ledger.ts";
import { unwatchWallet, watchWallet } from "../../lib/wallet/watch.ts";
import { subscribeWallet } from "../../lib/wallet/live_feed.ts";
import { approveWithdrawal, requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { adjust, charge, postCredit, postDebit, reverse } from "../../lib/wallet/postings.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";

async function entriesOf(transactionId: string) {
  const { rows } = await sql<{ code: string | null; user_id: string | null; amount: string }>`
    select a.code, a.user_id, e.amount::text from ledger.entries e join ledger.accounts a on a.id = e.account_id
    where e.transaction_id = ${transactionId}::bigint order by e.leg`.execute(db());
  return rows;
}

Deno.test("[ledger] owner — a transfer by email moves money between the two wallets", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 10_000n);
  const { transactionId } = await asUser(
    alice.claims,
    (tx) =>
      transfer(tx, {
        recipient: bob.email.toUpperCase(),
        amount: 2_500n,
        idempotencyKey: key(),
        note: "lunch",
      }),
  );
  assertEquals((await walletOf(alice.id)).balance, 7_500n);
  assertEquals((await walletOf(bob.id)).balance, 2_500n);
  assertEquals(await entriesOf(transactionId), [
    { code: null, user_id: alice.id, amount: "-2500" },
    { code: null, user_id: bob.id, amount: "2500" },
  ]);
});

Deno.test("[ledger] owner — a transfer by phone reaches only a verified number, typed in any common format", async () => {
  const [alice, bob, dave] = [await createUser("alice"), await createUser("bob"), await createUser("dave")];
  const subscriber = `912${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  await sql`update auth.users set phone = ${"98" + subscriber}, phone_confirmed_at = now()
    where id = ${bob.id}::uuid`.execute(db());
  // Dave's number is in auth.users but not verified: it routes nothing.
  const unverified = `935${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  await sql`update auth.users set phone = ${"98" + unverified} where id = ${dave.id}::uuid`.execute(db());
  await fund(alice.id, 1_000n);
  const send = (recipient: string) =>
    asUser(alice.claims, (tx) => transfer(tx, { recipient, amount: 100n, idempotencyKey: key() }));
  const persian = (text: string) => text.replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
  for (
    const typed of [
      `0${subscriber}`,
      `+98 ${subscriber.slice(0, 3)} ${subscriber.slice(3)}`,
      `98${subscriber}`,
      `0098${subscriber}`,
      subscriber,
      persian(`0${subscriber.slice(0, 3)}-${subscriber.slice(3)}`),
    ]
  ) await send(typed);
  assertEquals((await walletOf(bob.id)).balance, 600n);
  await rejectsWith(() => send(`0${unverified}`), "recipient_phone_unverified");
  assertEquals((await walletOf(dave.id)).balance, 0n);
});

Deno.test("[ledger] attacker — a phone saved on a profile never receives money, and a twin cannot block the owner", async () => {
  const [payer, victim, mallory, twin] = [
    await createUser("payer"),
    await createUser("victim"),
    await createUser("mallory"),
    await createUser("twin"),
  ];
  const subscriber = `912${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  // Mallory saves the victim's number (as typed) on her own profile; nobody has verified it yet.
  await sql`update public.profiles set phone = ${"0" + subscriber}, full_name = 'Victim'
    where id = ${mallory.id}::uuid`.execute(db());
  await fund(payer.id, 1_000n);
  const send = () =>
    asUser(
      payer.claims,
      (tx) => transfer(tx, { recipient: `0${subscriber}`, amount: 100n, idempotencyKey: key() }),
    );
  await rejectsWith(send, "recipient_phone_unverified");
  assertEquals((await walletOf(mallory.id)).balance, 0n);
  // The victim verifies the number; a second profile with it changes nothing: the money reaches the victim.
  await sql`update auth.users set phone = ${"98" + subscriber}, phone_confirmed_at = now()
    where id = ${victim.id}::uuid`.execute(db());
  await sql`update public.profiles set phone = ${"+98" + subscriber} where id = ${twin.id}::uuid`.execute(
    db(),
  );
  await send();
  assertEquals((await walletOf(victim.id)).balance, 100n);
  assertEquals((await walletOf(mallory.id)).balance, 0n);
  assertEquals((await walletOf(twin.id)).balance, 0n);
});

Deno.test("[ledger] owner — replaying a key returns the original transaction; a different request is a 409", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 1_000n);
  const idempotencyKey = key();
  const send = (amount: bigint) =>
    asUser(alice.claims, (tx) => transfer(tx, { recipient: bob.email, amount, idempotencyKey }));
  const first = await send(300n);
  assertEquals(await send(300n), first);
  const conflict = await assertRejects(() => send(301n), "different request");
  assert(walletErrors.is(conflict, "idempotency_conflict"));
  assertEquals(conflict.status, 409);
  assertEquals((await walletOf(alice.id)).balance, 700n);
  // Keys belong to their caller: Bob may use the same key for his own transfer.
  await fund(bob.id, 50n);
  await asUser(bob.claims, (tx) => transfer(tx, { recipient: alice.email, amount: 50n, idempotencyKey }));
});

Deno.test("[ledger] owner — an overdraft, an unknown recipient, a self-transfer and bad amounts change nothing", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  await fund(alice.id, 500n);
  const send = (recipient: string, amount: bigint) =>
    asUser(alice.claims, (tx) => transfer(tx, { recipient, amount, idempotencyKey: key() }));
  const short = await assertRejects(() => send(bob.email, 501n));
  assert(walletErrors.is(short, "insufficient_funds"));
  assertEquals(short.status, 422);
  assert(
    walletErrors.is(await assertRejects(() => send("nobody@test.pishkhan.local", 1n)), "recipient_not_found"),
  );
  await rejectsWith(() => send(alice.email, 1n), "self_transfer");
  await rejectsWith(() => send(bob.email, 0n), "invalid_amount");
  await rejectsWith(() => send(bob.email, -5n), "invalid_amount");
  await rejectsWith(() => send("0912", 1n), "recipient_not_found");
  assertEquals((await walletOf(alice.id)).balance, 500n);
  assertEquals((await walletOf(bob.id)).balance, 0n);
});

Deno.test("[ledger] prober — a sender who cannot pay learns nothing about recipients; replays still answer", async () => {
  const [prober, bob] = [await createUser("prober"), await createUser("bob")];
  await fund(prober.id, 100n);
  const send = (recipient: string, amount: bigint, idempotencyKey = key()) =>
    asUser(prober.claims, (tx) => transfer(tx, { recipient, amount, idempotencyKey }));
  // Whoever the recipient is (someone, no one, an unverified phone), an unaffordable amount is the same answer.
  for (const recipient of [bob.email, "nobody@test.pishkhan.local", "09120000000", "not-a-handle"]) {
    await rejectsWith(() => send(recipient, 101n), "insufficient_funds");
  }
  // A posted transfer replays with its key even when the wallet could no longer pay it again.
  const idempotencyKey = key();
  const first = await send(bob.email, 100n, idempotencyKey);
  assertEquals(await send(bob.email, 100n, idempotencyKey), first);
  assertEquals((await walletOf(bob.id)).balance, 100n);
});

Deno.test("[ledger] service — credits and debits go through gateway clearing; a debit beyond the wallet is refused", async () => {
  const alice = await createUser("alice");
  const idempotencyKey = key("payment");
  const credit = await asService((tx) =>
    postCredit(tx, { userId: alice.id, amount: 9_000n, idempotencyKey })
  );
  assertEquals(
    await asService((tx) => postCredit(tx, { userId: alice.id, amount: 9_000n, idempotencyKey })),
    credit,
  );
  assertEquals(await entriesOf(credit.transactionId), [
    { code: "gateway_clearing", user_id: null, amount: "-9000" },
    { code: null, user_id: alice.id, amount: "9000" },
  ]);
  await asService((tx) => postDebit(tx, { userId: alice.id, amount: 4_000n, idempotencyKey: key("refund") }));
  const refused = await assertRejects(() =>
    asService((tx) => postDebit(tx, { userId: alice.id, amount: 5_001n, idempotencyKey: key("refund") }))
  );
  assert(walletErrors.is(refused, "insufficient_funds"));
  assertEquals((await walletOf(alice.id)).balance, 5_000n);
  await assertRejects(
    () => sql`select ledger.post_credit(${alice.id}::uuid, 5, 'charge', ${key()}, '{}')`.execute(db()),
    "invalid_kind",
  );
});

Deno.test("[ledger] service — a charge moves money to revenue; users cannot call it", async () => {
  const alice = await createUser("alice");
  await fund(alice.id, 1_000n);
  const { transactionId } = await asService((tx) =>
    charge(tx, { userId: alice.id, amount: 250n, idempotencyKey: key("charge"), metadata: { sms: 5 } })
  );
  assertEquals(await entriesOf(transactionId), [
    { code: null, user_id: alice.id, amount: "-250" },
    { code: "revenue", user_id: null, amount: "250" },
  ]);
  await assertRejects(
    () => asUser(alice.claims, (tx) => charge(tx, { userId: alice.id, amount: 1n, idempotencyKey: key() })),
    "You are not allowed",
  );
  await assertRejects(
    () => asService((tx) => charge(tx, { userId: alice.id, amount: 751n, idempotencyKey: key() })),
    "cannot cover",
  );
  assertEquals((await walletOf(alice.id)).balance, 750n);
});

Deno.test("[ledger] staff — finance adjusts with a reason; users cannot; a debit adjustment cannot overdraw", async () => {
  const [alice, finance] = [await createUser("alice"), await createUser("fin", { role: "finance" })];
  const credit = await asUser(
    finance.claims,
    (tx) => adjust(tx, { userId: alice.id, amount: 700n, reason: "goodwill", idempotencyKey: key() }),
  );
  assertEquals(await entriesOf(credit.transactionId), [
    { code: "adjustments", user_id: null, amount: "-700" },
    { code: null, user_id: alice.id, amount: "700" },
  ]);
  await asUser(
    finance.claims,
    (tx) => adjust(tx, { userId: alice.id, amount: -200n, reason: "fix", idempotencyKey: key() }),
  );
  await assertRejects(
    () =>
      asUser(
        finance.claims,
        (tx) => adjust(tx, { userId: alice.id, amount: 5n, reason: " ", idempotencyKey: key() }),
      ),
    "reason",
  );
  await assertRejects(
    () =>
      asUser(
        finance.claims,
        (tx) => adjust(tx, { userId: alice.id, amount: -501n, reason: "too much", idempotencyKey: key() }),
      ),
    "cannot cover",
  );
  const denied = await assertRejects(
    () =>
      asUser(
        alice.claims,
        (tx) => adjust(tx, { userId: alice.id, amount: 1_000n, reason: "please", idempotencyKey: key() }),
      ),
  );
  // The SQL's own words stay in the log (internalDetail); the client gets the refusal's text.
  assertEquals(
    [(denied as DomainError).code, (denied as DomainError).internalDetail],
    ["not_permitted", "Adjusting wallets needs wallet.adjust."],
  );
  assertEquals((await walletOf(alice.id)).balance, 500n);
});

Deno.test("[ledger] staff — a reversal negates the original once and links to it", async () => {
  const [alice, bob, finance] = [
    await createUser("alice"),
    await createUser("bob"),
    await createUser("fin", { role: "finance" }),
  ];
  await fund(alice.id, 1_000n);
  const sent = await asUser(
    alice.claims,
    (tx) => transfer(tx, { recipient: bob.email, amount: 400n, idempotencyKey: key() }),
  );
  const reversal = await asUser(
    finance.claims,
    (tx) =>
      reverse(tx, { transactionId: sent.transactionId, reason: "sent by mistake", idempotencyKey: key() }),
  );
  assertEquals(await entriesOf(reversal.transactionId), [
    { code: null, user_id: alice.id, amount: "400" },
    { code: null, user_id: bob.id, amount: "-400" },
  ]);
  const { rows } = await sql<{ reverses: string }>`select reverses::text from ledger.transactions
    where id = ${reversal.transactionId}::bigint`.execute(db());
  assertEquals(rows[0].reverses, sent.transactionId);
  await assertRejects(
    () =>
      asUser(
        finance.claims,
        (tx) => reverse(tx, { transactionId: sent.transactionId, reason: "again", idempotencyKey: key() }),
      ),
    "already been reversed",
  );
  await assertRejects(
    () =>
      asUser(
        finance.claims,
        (tx) => reverse(tx, { transactionId: reversal.transactionId, reason: "undo", idempotencyKey: key() }),
      ),
    "cannot be reversed",
  );
  assertEquals([(await walletOf(alice.id)).balance, (await walletOf(bob.id)).balance], [1_000n, 0n]);
});

/**
 * Collects the live feed's wallet changes (lib/wallet/live_feed.ts, which reads ledger.wallet_changes) for
 * `users` until `count` arrived (or ~1 s passed).
 */
async function listen(users: string[], fn: () => Promise<unknown>, count: number) {
  const seen: string[][] = [];
  const unsubscribes = await Promise.all(
    users.map((user) =>
      subscribeWallet(user, (event) => seen.push([event.user_id, event.balance, event.held, event.available]))
    ),
  );
  try {
    await fn();
    for (let i = 0; i < 50 && seen.length < count; i++) await new Promise((r) => setTimeout(r, 20));
    return seen;
  } finally {
    for (const unsubscribe of unsubscribes) await unsubscribe();
  }
}

Deno.test("[ledger] notify — every change of a watched wallet reaches the live feed with the new balance", async () => {
  const [alice, bob] = [await createUser("alice"), await createUser("bob")];
  const finance = await createUser("fin", { role: "finance" });
  const session = crypto.randomUUID();
  for (const user of [alice, bob]) await asUser(user.claims, (tx) => watchWallet(tx, { session }));
  const seen = await listen([alice.id, bob.id], async () => {
    await fund(alice.id, 1_000n);
    await asUser(
      alice.claims,
      (tx) => transfer(tx, { recipient: bob.email, amount: 300n, idempotencyKey: key() }),
    );
    const { withdrawalId } = await asUser(
      alice.claims,
      (tx) => requestWithdrawal(tx, { amount: 100n, iban: randomIban(), idempotencyKey: key() }),
    );
    await asUser(finance.claims, (tx) => approveWithdrawal(tx, { withdrawalId, bankReference: "B-1" }));
  }, 5);
  assertEquals(seen, [
    [alice.id, "1000", "0", "1000"],
    [alice.id, "700", "0", "700"],
    [bob.id, "300", "0", "300"],
    [alice.id, "700", "100", "600"],
    [alice.id, "600", "0", "600"],
  ]);
});

Deno.test("[ledger] notify — unwatched, expired and unwatched-again wallets stay silent", async () => {
  const [alice, bob, carol] = [await createUser("alice"), await createUser("bob"), await createUser("carol")];
  await asUser(bob.claims, (tx) => watchWallet(tx, { session: "tab-1" }));
  await asUser(bob.claims, (tx) => unwatchWallet(tx, { session: "tab-1" }));
  await asUser(carol.claims, (tx) => watchWallet(tx, { session: "tab-1" }));
  await sql`update ledger.wallet_watchers set expires_at = now() - interval '1 second'
    where user_id = ${carol.id}::uuid`.execute(db());
  const seen = await listen([alice.id, bob.id, carol.id], async () => {
    for (const user of [alice, bob, carol]) await fund(user.id, 10n);
  }, 1);
  assertEquals(seen, []);
  await rejectsWith(
    () => asUser(alice.claims, (tx) => watchWallet(tx, { session: "x", userId: bob.id })),
    "not_permitted",
  );
  const finance = await createUser("fin", { role: "finance" });
  await asUser(finance.claims, (tx) => watchWallet(tx, { session: "desk", userId: bob.id }));
  assertEquals(await listen([bob.id], () => fund(bob.id, 5n), 1), [[bob.id, "15", "0", "15"]]);
});

Deno.test("[ledger] invariants — hold after the postings tests", async () => {
  await assertLedgerInvariants();
});
