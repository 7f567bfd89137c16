import { assert, assertEquals, assertMatch } from "@std/assert";
import { sql } from "kysely";
import { db } from "../../lib/db/client.ts";
import { createZarinpalClient } from "../../lib/payments/zarinpal.ts";
import { balanceOf, creditsFor, withPayments } from "../_support/payments.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";

async function eventKinds(paymentId: string): Promise<string[]> {
  const { rows } = await sql<{ kind: string }>`
    select kind from public.payment_events where payment_id = ${paymentId} order by id`.execute(db());
  return rows.map((r) => r.kind);
}

Deno.test("[payments verify] buyer pays — the callback verifies, credits once and sends the browser to the result page", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, redirectUrl } = await h.start(user, 250_000n);
    const callbackUrl = await h.press(redirectUrl, "pay");
    assertMatch(callbackUrl, /Status=OK/);
    const res = await h.callback(callbackUrl);
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), `http://app.test/wallet/payments/${paymentId}`);
    const payment = await h.payment(paymentId);
    assertEquals(payment.status, "verified");
    assert(payment.refId);
    assertMatch(payment.cardPan ?? "", /^\d{6}\*+\d{4}$/);
    assertEquals(payment.fee, 2_500n);
    assertEquals(await balanceOf(user.id), 250_000n);
    assertEquals(await creditsFor(paymentId), 1);
    assertEquals(await eventKinds(paymentId), ["request", "callback", "verify"]);
    await assertLedgerInvariants();
  });
});

Deno.test("[payments verify] replayed callback — 100 concurrent hits credit exactly once", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, redirectUrl } = await h.start(user, 120_000n);
    const callbackUrl = await h.press(redirectUrl, "pay");
    const answers = await Promise.all(Array.from({ length: 100 }, () => h.callback(callbackUrl)));
    assertEquals(new Set(answers.map((r) => r.status)), new Set([303]));
    assertEquals((await h.payment(paymentId)).status, "verified");
    assertEquals(await creditsFor(paymentId), 1);
    assertEquals(await balanceOf(user.id), 120_000n);
    await assertLedgerInvariants();
  });
});

Deno.test("[payments verify] forged callback — a bad or re-aimed signature is refused and changes nothing", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const victim = await h.start(user, 300_000n);
    const other = await h.start(user, 40_000n);
    const callbackUrl = new URL(await h.press(victim.redirectUrl, "pay"));
    const forge = (edit: (url: URL) => void) => {
      const url = new URL(callbackUrl);
      edit(url);
      return h.callback(url.href);
    };
    const refusals = [
      await forge((u) => u.searchParams.set("sig", "A".repeat(43))),
      await forge((u) => u.searchParams.delete("sig")),
      await forge((u) => u.searchParams.set("payment", other.paymentId)),
      await forge((u) => u.searchParams.set("payment", `${victim.paymentId}0`)),
      await forge((u) => {
        const sig = u.searchParams.get("sig")!;
        u.searchParams.set("sig", sig.slice(0, -1) + (sig.endsWith("x") ? "y" : "x"));
      }),
    ];
    for (const res of refusals) {
      assertEquals(res.status, 403);
      await res.body?.cancel();
    }
    const mismatch = await forge((u) => u.searchParams.set("Authority", other.authority));
    assertEquals(mismatch.status, 400);
    await mismatch.body?.cancel();
    for (const id of [victim.paymentId, other.paymentId]) {
      assertEquals((await h.payment(id)).status, "pending");
      assertEquals(await eventKinds(id), ["request"]);
    }
    assertEquals(h.control.verifyCalls(victim.authority), 0);
    assertEquals(await balanceOf(user.id), 0n);
  });
});

Deno.test("[payments verify] buyer cancels — the payment is cancelled (not failed) and nothing is credited", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, redirectUrl } = await h.start(user);
    const res = await h.callback(await h.press(redirectUrl, "cancel"));
    assertEquals(res.status, 303);
    const payment = await h.payment(paymentId);
    assertEquals(payment.status, "cancelled");
    assertEquals(payment.failureReason, "cancelled");
    assertEquals(payment.failureCode, -51);
    assertEquals(await creditsFor(paymentId), 0);
    assertEquals(await balanceOf(user.id), 0n);
  });
});

Deno.test("[payments verify] amount mismatch — not credited, kept pending and flagged for finance", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    // The gateway session holds another amount than our row (a tampered or buggy request): verify answers -50.
    const tamper: typeof fetch = (input, init) => {
      const body = JSON.parse(String(init?.body));
      if (String(input).endsWith("request.json")) body.amount += 10;
      return fetch(input, { ...init, body: JSON.stringify(body) });
    };
    const { createPaymentsContext } = await import("../../lib/payments/context.ts");
    const { initiatePayment } = await import("../../lib/payments/initiate.ts");
    const tampered = createPaymentsContext(h.ctx.settings, { fetch: tamper });
    const started = await initiatePayment(tampered, user.claims, { amount: 70_000n });
    assert(started.ok);
    await h.callback(await h.press(started.redirectUrl, "pay"));
    const payment = await h.payment(started.paymentId);
    assertEquals(payment.status, "pending");
    assert(payment.needsReview);
    assertMatch(payment.reviewReason ?? "", /amount mismatch/);
    assertEquals(await creditsFor(started.paymentId), 0);
    assertEquals(await balanceOf(user.id), 0n);
  });
});

Deno.test("[payments verify] already verified at the gateway — a later 101 still credits exactly once", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, authority, redirectUrl } = await h.start(user, 90_000n);
    const callbackUrl = await h.press(redirectUrl, "pay");
    // Someone (another instance, a crashed attempt) verified first: every verify from now on answers 101.
    const first = await createZarinpalClient({
      baseUrl: h.ctx.settings.apiUrl,
      merchantId: h.ctx.settings.merchantId,
    })
      .verify({ amount: 90_000n, authority });
    assert(first.ok && first.code === 100);
    await h.callback(callbackUrl);
    await h.callback(callbackUrl);
    assertEquals((await h.payment(paymentId)).status, "verified");
    assertEquals(await creditsFor(paymentId), 1);
    assertEquals(await balanceOf(user.id), 90_000n);
  });
});

Deno.test("[payments verify] gateway down — the payment stays pending and the buyer still lands on the result page", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const { paymentId, redirectUrl } = await h.start(user);
    const callbackUrl = await h.press(redirectUrl, "pay");
    h.control.down("verify", true);
    const res = await h.callback(callbackUrl);
    assertEquals(res.status, 303);
    assertEquals((await h.payment(paymentId)).status, "pending");
    assertEquals(await creditsFor(paymentId), 0);
  });
});
