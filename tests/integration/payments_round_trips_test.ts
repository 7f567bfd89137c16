/**
 * What a top-up costs Postgres (issue 13: top-ups ≥ 0.15× ledger transfers). Counted on the wire by a proxy
 * in front of the test database: a top-up (initiate, pay, callback) is four transactions — the pending
 * payment as the user, the request's answer with the authority, the callback's admission with the payment's
 * row, the verify's answer with the settlement — where it was nine, and four round trips where it was 18. Also: concurrent callbacks of one
 * payment settle it without a deadlock, and every exchange is still stored.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { config, loadConfig, setConfig } from "../../lib/config.ts";
import { asServiceAtOnce, db, openDatabase } from "../../lib/db/client.ts";
import { createPaymentsContext, paymentsContext } from "../../lib/payments/context.ts";
import { initiatePayment } from "../../lib/payments/initiate.ts";
import { CALLBACK_LIMIT } from "../../lib/payments/callbacks.ts";
import { createVerifyHandler } from "../../functions/payments-verify/index.ts";
import { assertCreditedOnce, withPayments } from "../_support/payments.ts";
import { startWireCounter } from "../_support/pg_wire_counter.ts";

async function eventKinds(paymentId: string): Promise<string[]> {
  const { rows } = await sql<{ kind: string }>`
    select kind from public.payment_events where payment_id = ${paymentId} order by id`.execute(db());
  return rows.map((r) => r.kind);
}

Deno.test("[payments round trips] a top-up is 4 round trips to Postgres, 4 transactions, 18 statements (was 18, 9, 36, then 19: the callback read the payment in a statement of its own)", async () => {
  const counter = startWireCounter(config().databaseUrl);
  const database = openDatabase(counter.url, { max: 4 });
  try {
    await withPayments(async (h) => {
      const ctx = createPaymentsContext(h.ctx.settings, { database });
      const verify = createVerifyHandler(() => Promise.resolve(ctx));
      const topUp = async (user: Awaited<ReturnType<typeof h.user>>, amount: bigint) => {
        const started = await initiatePayment(ctx, user.claims, { amount });
        assert(started.ok);
        const landed = await verify(new Request(await h.press(started.redirectUrl, "pay")));
        await landed.body?.cancel();
        assertEquals(landed.status, 303);
        return started.paymentId;
      };
      const user = await h.user();
      await topUp(user, 30_000n); // the pool's connections start (and fetch types) outside the count
      counter.reset();
      const paymentId = await topUp(user, 40_000n);
      const counts = { ...counter.counts };
      await assertCreditedOnce(h, paymentId, user.id, 70_000n);
      assertEquals(await eventKinds(paymentId), ["request", "callback", "verify"]);
      // Each transaction: BEGIN, the claims, its statements, COMMIT. create_pending | record_events +
      // attach_authority | admit_callback with the payment's row | record_events + settle: 4 × 3 + 6.
      // Round trips: each step is written at once (BEGIN, claims, statements, COMMIT) and takes one.
      assertEquals(counts.transactions, 4, `counted ${JSON.stringify(counts)}`);
      assert(counts.statements <= 18, `counted ${JSON.stringify(counts)}`);
      assertEquals(counts.roundTrips, 4, `counted ${JSON.stringify(counts)}`);
    });
  } finally {
    await database.destroy();
    await counter.close();
  }
});

Deno.test("[payments round trips] 100 concurrent callbacks of one payment — one credit, no deadlock, no error", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority, redirectUrl } = await h.start(user, 110_000n);
    const callbackUrl = await h.press(redirectUrl, "pay");
    const logged: string[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    try {
      const answers = await Promise.all(Array.from({ length: 100 }, () => h.callback(callbackUrl)));
      for (const res of answers) await res.body?.cancel();
      assertEquals(new Set(answers.map((r) => r.status)), new Set([303]));
    } finally {
      console.error = error;
    }
    assertEquals(logged.filter((line) => /"level":"error"/.test(line)), []);
    await assertCreditedOnce(h, paymentId, user.id, 110_000n);
    const kinds = await eventKinds(paymentId);
    assertEquals(kinds[0], "request");
    assert(kinds.includes("verify"));
    // Admitted callbacks are stored, at most CALLBACK_LIMIT of them, and only they reach the gateway.
    const callbacks = kinds.filter((k) => k === "callback").length;
    assert(callbacks >= 1 && callbacks <= CALLBACK_LIMIT.max, `${callbacks} callback events`);
    assert(h.control.verifyCalls(authority) <= callbacks);
  });
});

Deno.test("[payments round trips] the functions' context is built once per configuration, not per request", async () => {
  const first = await paymentsContext();
  assert(first === await paymentsContext(), "a second request built the context again");
  const before = config();
  setConfig(loadConfig());
  try {
    const next = await paymentsContext();
    assert(next !== first, "a new configuration keeps the old context");
    assert(next === await paymentsContext());
  } finally {
    setConfig(before);
  }
});

Deno.test("[payments round trips] a step in one round trip is still one transaction: a failing statement undoes the others", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId } = await h.start(user);
    const error = await assertRejects(() =>
      asServiceAtOnce([
        sql`select payments.flag_for_review(${paymentId}, 'must not stay')`.compile(db()),
        sql`select 1 / 0`.compile(db()),
        sql`select payments.flag_for_review(${paymentId}, 'must not run')`.compile(db()),
      ])
    );
    assertMatch(String(error), /division by zero/);
    const payment = await h.payment(paymentId);
    assertEquals([payment.needsReview, payment.reviewReason], [false, null]);
    // The connection went back to the pool outside any transaction.
    const [rows] = await asServiceAtOnce([sql`select 1 as one`.compile(db())]);
    assertEquals(rows, [{ one: 1 }]);
  });
});
