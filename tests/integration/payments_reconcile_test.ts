import { assert, assertEquals } from "@std/assert";
import { asService } from "../../lib/db/client.ts";
import { closePayment } from "../../lib/payments/store.ts";
import { reconcilePayments } from "../../lib/payments/reconcile.ts";
import { createReconcileHandler } from "../../functions/payments-reconcile/index.ts";
import { config, loadConfig, setConfig } from "../../lib/config.ts";
import { balanceOf, creditsFor, withPayments } from "../_support/payments.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";

const NOW_ONLY = { minAgeSeconds: 0 };

Deno.test("[payments reconcile] crash after the gateway verified — reconciliation credits exactly once", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority, redirectUrl } = await h.start(user, 310_000n);
    const callbackUrl = await h.press(redirectUrl, "pay");
    // The settling transaction dies after Zarinpal said 100: nothing of it commits.
    const settle = h.ctx.settle;
    h.ctx.settle = () => Promise.reject(new Error("process killed mid-settlement"));
    const res = await h.callback(callbackUrl);
    assertEquals(res.status, 303);
    assertEquals(h.control.session(authority)?.status, "VERIFIED");
    assertEquals((await h.payment(paymentId)).status, "pending");
    assertEquals(await creditsFor(paymentId), 0);

    h.ctx.settle = settle;
    const report = await reconcilePayments(h.ctx, NOW_ONLY);
    assertEquals(report.settled, 1);
    assertEquals((await h.payment(paymentId)).status, "verified");
    await reconcilePayments(h.ctx, NOW_ONLY);
    await h.callback(callbackUrl);
    assertEquals(await creditsFor(paymentId), 1);
    assertEquals(await balanceOf(user.id), 310_000n);
    await assertLedgerInvariants();
  });
});

Deno.test("[payments reconcile] buyer closed the tab after paying — picked up through unVerified and credited", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority } = await h.start(user, 55_000n);
    await h.control.pay(authority);
    // Young payments are left to their callback, but unVerified names this one as paid.
    const report = await reconcilePayments(h.ctx, { minAgeSeconds: 3600 });
    assertEquals(report.unverified, 1);
    assertEquals(report.settled, 1);
    assertEquals((await h.payment(paymentId)).status, "verified");
    assertEquals(await balanceOf(user.id), 55_000n);
  });
});

Deno.test("[payments reconcile] gateway down at the callback — the payment stays pending, then is reconciled", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, redirectUrl } = await h.start(user, 64_000n);
    const callbackUrl = await h.press(redirectUrl, "pay");
    h.control.down("all", true);
    await h.callback(callbackUrl);
    const outage = await reconcilePayments(h.ctx, NOW_ONLY);
    assertEquals(outage.pending, 1);
    assertEquals((await h.payment(paymentId)).status, "pending");
    h.control.down("all", false);
    assertEquals((await reconcilePayments(h.ctx, NOW_ONLY)).settled, 1);
    assertEquals(await creditsFor(paymentId), 1);
    assertEquals(await balanceOf(user.id), 64_000n);
  });
});

Deno.test("[payments reconcile] abandoned payment — stays pending until its authority expires, then expires", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId } = await h.start(user);
    assertEquals((await reconcilePayments(h.ctx, NOW_ONLY)).pending, 1);
    assertEquals((await h.payment(paymentId)).status, "pending");
    h.control.advance(31 * 60_000);
    const later = new Date(Date.now() + 31 * 60_000);
    assertEquals((await reconcilePayments(h.ctx, { ...NOW_ONLY, now: later })).expired, 1);
    const payment = await h.payment(paymentId);
    assertEquals(payment.status, "expired");
    assertEquals(payment.failureReason, "expired");
    assertEquals(await creditsFor(paymentId), 0);
  });
});

Deno.test("[payments reconcile] money captured on a closed payment — flagged for finance, never credited", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority } = await h.start(user);
    await asService((tx) => closePayment(tx, paymentId, "failed", { reason: "gateway_refused", code: -51 }));
    await h.control.pay(authority);
    await reconcilePayments(h.ctx, NOW_ONLY);
    const payment = await h.payment(paymentId);
    assertEquals(payment.status, "failed");
    assert(payment.needsReview);
    assertEquals(await creditsFor(paymentId), 0);
  });
});

Deno.test("[payments reconcile] function — refuses callers without the secret key, reports with it", async () => {
  await withPayments(async (h) => {
    const handler = createReconcileHandler(() => Promise.resolve(h.ctx));
    const post = (headers: Record<string, string>) =>
      handler(
        new Request("http://functions.test/functions/v1/payments-reconcile", { method: "POST", headers }),
      );
    const anonymous = await post({});
    assertEquals(anonymous.status, 401);
    await anonymous.body?.cancel();
    const wrong = await post({ authorization: "Bearer sb_secret_wrong" });
    assertEquals(wrong.status, 401);
    await wrong.body?.cancel();
    const user = await h.user();
    const { authority } = await h.start(user, 20_000n);
    await h.control.pay(authority);
    const before = config();
    setConfig(loadConfig({ ...Deno.env.toObject(), SUPABASE_SECRET_KEY: "sb_secret_reconcile_test_key" }));
    try {
      const ok = await post({ authorization: "Bearer sb_secret_reconcile_test_key" });
      assertEquals(ok.status, 200);
      assertEquals((await ok.json()).settled, 1);
    } finally {
      setConfig(before);
    }
  });
});
