/**
 * The callback (payments-verify) against early, forged-status and replayed visits: security review items 15
 * (a premature callback must not lose a real payment) and 9 (replays are limited, and free once final).
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { db } from "../../lib/db/client.ts";
import { reconcilePayments } from "../../lib/payments/reconcile.ts";
import { confirmPayment } from "../../lib/payments/confirm.ts";
import { CALLBACK_LIMIT } from "../../lib/payments/callbacks.ts";
import {
  assertCreditedOnce,
  balanceOf,
  creditsFor,
  type PaymentsHarness,
  withPayments,
} from "../_support/payments.ts";

async function eventCount(paymentId: string, kind?: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from public.payment_events
    where payment_id = ${paymentId} and (${kind ?? null}::text is null or kind = ${kind ?? null})`.execute(
    db(),
  );
  return rows[0].n;
}

/** The signed callback URL of a payment, as the gateway would send the browser back with `status`. */
function callbackUrlOf(h: PaymentsHarness, authority: string, status: "OK" | "NOK"): string {
  const url = new URL(h.control.session(authority)!.callbackUrl);
  url.searchParams.set("Authority", authority);
  url.searchParams.set("Status", status);
  return url.href;
}

async function visit(h: PaymentsHarness, url: string): Promise<void> {
  const res = await h.callback(url);
  await res.body?.cancel();
  assertEquals(res.status, 303);
}

Deno.test("[payments callback] premature OK callback — the payment stays pending and the later callback credits once", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority } = await h.start(user, 150_000n);
    // The buyer opens the signed callback URL with Status=OK before paying: verify answers -51.
    await visit(h, callbackUrlOf(h, authority, "OK"));
    assertEquals((await h.payment(paymentId)).status, "pending");
    // Then pays at the gateway, which sends the browser back as usual.
    await h.control.pay(authority);
    await visit(h, callbackUrlOf(h, authority, "OK"));
    await assertCreditedOnce(h, paymentId, user.id, 150_000n);
  });
});

Deno.test("[payments callback] premature OK and forged NOK callbacks — reconciliation settles the later payment once", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority } = await h.start(user, 80_000n);
    await visit(h, callbackUrlOf(h, authority, "OK"));
    // Status is unsigned: the payer can write NOK into the URL too. Only the gateway's own word closes it.
    await visit(h, callbackUrlOf(h, authority, "NOK"));
    assertEquals((await h.payment(paymentId)).status, "pending");
    // The buyer pays and closes the tab: no callback arrives, reconciliation finds the payment.
    await h.control.pay(authority);
    const report = await reconcilePayments(h.ctx, { minAgeSeconds: 0 });
    assertEquals(report.settled, 1);
    assertEquals(report.flagged, 0);
    await visit(h, callbackUrlOf(h, authority, "OK"));
    await assertCreditedOnce(h, paymentId, user.id, 80_000n);
  });
});

Deno.test("[payments callback] definitive failure — the gateway's own FAILED closes it (Status=OK or not)", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority } = await h.start(user);
    h.control.fail(authority);
    await visit(h, callbackUrlOf(h, authority, "OK"));
    const payment = await h.payment(paymentId);
    assertEquals(payment.status, "failed");
    assertEquals(payment.failureReason, "gateway_refused");
    assertEquals(payment.failureCode, -51);
    assertEquals(await balanceOf(user.id), 0n);
  });
});

Deno.test("[payments callback] not paid once the authority expired — the callback's confirm expires it", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId } = await h.start(user);
    const { expiresAt } = await h.payment(paymentId);
    const later = new Date(expiresAt.getTime() + 1_000);
    const outcome = await confirmPayment(h.ctx, paymentId, {
      mode: "callback",
      callbackStatus: "OK",
      now: later,
    });
    assertEquals(outcome, "expired");
    const payment = await h.payment(paymentId);
    assertEquals(payment.status, "expired");
    assertEquals(payment.failureCode, -51);
  });
});

Deno.test("[payments callback] 50 replays of a settled payment — no event rows, no gateway calls, one credit", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority, redirectUrl } = await h.start(user, 60_000n);
    const callbackUrl = await h.press(redirectUrl, "pay");
    await visit(h, callbackUrl);
    assertEquals((await h.payment(paymentId)).status, "verified");
    const events = await eventCount(paymentId);
    const verifies = h.control.verifyCalls(authority);
    for (let i = 0; i < 50; i++) {
      const res = await h.callback(callbackUrl);
      assertEquals(res.status, 303);
      assertEquals(res.headers.get("location"), `http://app.test/wallet/payments/${paymentId}`);
    }
    assertEquals(await eventCount(paymentId), events);
    assertEquals(h.control.verifyCalls(authority), verifies);
    assertEquals(await creditsFor(paymentId), 1);
    assertEquals(await balanceOf(user.id), 60_000n);
  });
});

Deno.test("[payments callback] replays while pending — limited per payment, then reconciliation settles it", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority } = await h.start(user, 70_000n);
    await h.control.pay(authority);
    h.control.down("verify", true); // every verify fails, so the payment stays pending through the replays
    for (let i = 0; i < 50; i++) await visit(h, callbackUrlOf(h, authority, "OK"));
    assert(CALLBACK_LIMIT.max < 50);
    assertEquals(h.control.verifyCalls(authority), CALLBACK_LIMIT.max);
    assertEquals(await eventCount(paymentId, "callback"), CALLBACK_LIMIT.max);
    assertEquals((await h.payment(paymentId)).status, "pending");
    // Another payment's budget is its own.
    const other = await h.start(user, 20_000n);
    h.control.down("verify", false);
    await visit(h, await h.press(other.redirectUrl, "pay"));
    assertEquals((await h.payment(other.paymentId)).status, "verified");
    // The limited payment is settled by reconciliation, exactly once.
    await reconcilePayments(h.ctx, { minAgeSeconds: 0 });
    await assertCreditedOnce(h, paymentId, user.id, 90_000n);
  });
});
