import { assert, assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { asService, db } from "../../lib/db/client.ts";
import { DomainError } from "../../lib/errors.ts";
import { refundPayment } from "../../lib/payments/refund.ts";
import { reconcilePayments } from "../../lib/payments/reconcile.ts";
import { createRefundHandler } from "../../functions/payments-refund/index.ts";
import { InvalidToken } from "../../lib/auth/tokens.ts";
import { createUser, type TestUser } from "../_support/db.ts";
import { balanceOf, type PaymentsHarness, withPayments } from "../_support/payments.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";

/** A verified top-up of `amount` for a new user. */
async function paidTopUp(h: PaymentsHarness, amount: bigint) {
  const user = await h.user();
  const { paymentId, authority, redirectUrl } = await h.start(user, amount);
  await h.callback(await h.press(redirectUrl, "pay"));
  assertEquals((await h.payment(paymentId)).status, "verified");
  return { user, paymentId, authority };
}

async function refundsOf(paymentId: string) {
  const { rows } = await sql<{ status: string; failure_code: number | null }>`
    select status::text, failure_code from public.payment_refunds where payment_id = ${paymentId} order by id`
    .execute(db());
  return rows;
}

/** The code of the refusal `fn` rejects with (the payments' own, or the ledger's it passes on). */
async function refusal(fn: () => Promise<unknown>): Promise<string> {
  const error = await assertRejects(fn);
  assert(error instanceof DomainError, String(error));
  return error.code;
}

const refund = (h: PaymentsHarness, staff: TestUser, paymentId: string) =>
  refundPayment(h.ctx, staff.claims, { paymentId, reason: "customer asked for a refund" });

Deno.test("[payments refund] finance refunds a verified top-up — wallet debited, gateway reversed, payment refunded", async () => {
  await withPayments(async (h) => {
    const finance = await createUser("finance", { role: "finance" });
    const { user, paymentId, authority } = await paidTopUp(h, 150_000n);
    const outcome = await refund(h, finance, paymentId);
    assertEquals(outcome.status, "completed");
    assertEquals((await h.payment(paymentId)).status, "refunded");
    assertEquals(h.control.session(authority)?.status, "REVERSED");
    assertEquals(await balanceOf(user.id), 0n);
    assertEquals(await refundsOf(paymentId), [{ status: "completed", failure_code: null }]);
    await assertLedgerInvariants();

    assertEquals(await refusal(() => refund(h, finance, paymentId)), "not_refundable");
    assertEquals(await balanceOf(user.id), 0n);
  });
});

Deno.test("[payments refund] wallet already spent — a refund larger than the balance is refused, nothing moves", async () => {
  await withPayments(async (h) => {
    const finance = await createUser("finance", { role: "finance" });
    const { user, paymentId, authority } = await paidTopUp(h, 200_000n);
    const friend = await createUser("friend");
    await asService((tx) =>
      sql`select ledger.post_transfer(${user.id}::uuid, ${friend.id}::uuid, 150000, ${`spend:${paymentId}`})`
        .execute(tx)
    );
    assertEquals(await refusal(() => refund(h, finance, paymentId)), "insufficient_funds");
    assertEquals(await balanceOf(user.id), 50_000n);
    assertEquals((await h.payment(paymentId)).status, "verified");
    assertEquals(await refundsOf(paymentId), []);
    assertEquals(h.control.session(authority)?.status, "VERIFIED");
    await assertLedgerInvariants();
  });
});

Deno.test("[payments refund] gateway refuses the reverse — the wallet is re-credited and a later refund may succeed", async () => {
  await withPayments(async (h) => {
    const finance = await createUser("finance", { role: "finance" });
    const { user, paymentId } = await paidTopUp(h, 80_000n);
    h.control.setIpAllowList(false);
    const outcome = await refund(h, finance, paymentId);
    assertEquals(outcome.status, "failed");
    assertEquals(outcome.status === "failed" && outcome.code, -62);
    assertEquals(await balanceOf(user.id), 80_000n);
    assertEquals((await h.payment(paymentId)).status, "verified");
    await assertLedgerInvariants();

    h.control.setIpAllowList(true);
    assertEquals((await refund(h, finance, paymentId)).status, "completed");
    assertEquals(await refundsOf(paymentId), [
      { status: "failed", failure_code: -62 },
      { status: "completed", failure_code: null },
    ]);
    assertEquals(await balanceOf(user.id), 0n);
    await assertLedgerInvariants();
  });
});

Deno.test("[payments refund] reverse unanswered — the refund stays pending and reconciliation completes it", async () => {
  await withPayments(async (h) => {
    const finance = await createUser("finance", { role: "finance" });
    const { user, paymentId, authority } = await paidTopUp(h, 45_000n);
    h.control.down("reverse", true);
    assertEquals((await refund(h, finance, paymentId)).status, "pending");
    assertEquals(await balanceOf(user.id), 0n);
    assertEquals(await refusal(() => refund(h, finance, paymentId)), "refund_in_progress");
    h.control.down("reverse", false);
    const report = await reconcilePayments(h.ctx, { minAgeSeconds: 0 });
    assertEquals(report.refunds_resolved, 1);
    assertEquals(h.control.session(authority)?.status, "REVERSED");
    assertEquals((await h.payment(paymentId)).status, "refunded");
    await assertLedgerInvariants();
  });
});

Deno.test("[payments refund] without payments.refund — users and agents are refused", async () => {
  await withPayments(async (h) => {
    const { user, paymentId } = await paidTopUp(h, 30_000n);
    const agent = await createUser("agent", { role: "agent" });
    for (const who of [user, agent]) {
      assertEquals(await refusal(() => refund(h, who, paymentId)), "not_permitted");
    }
    assertEquals(await balanceOf(user.id), 30_000n);
  });
});

Deno.test("[payments refund] audit and function — each refund is audited; the function checks token and body", async () => {
  await withPayments(async (h) => {
    const finance = await createUser("finance", { role: "finance" });
    const { paymentId } = await paidTopUp(h, 60_000n);
    const claimsFor = new Map([["finance-token", finance.claims]]);
    const handler = createRefundHandler({
      context: () => Promise.resolve(h.ctx),
      verifyToken: (token) => {
        const claims = claimsFor.get(token);
        return claims ? Promise.resolve(claims) : Promise.reject(new InvalidToken("unknown token"));
      },
    });
    const call = (body: unknown, token?: string) =>
      handler(
        new Request("http://functions.test/functions/v1/payments-refund", {
          method: "POST",
          headers: token ? { authorization: `Bearer ${token}` } : {},
          body: JSON.stringify(body),
        }),
      );
    for (
      const [body, token, status] of [
        [{ payment_id: paymentId, reason: "asked" }, undefined, 401],
        [{ payment_id: paymentId, reason: "asked" }, "forged", 401],
        [{ payment_id: paymentId, reason: "no" }, "finance-token", 400],
        [{ payment_id: "x", reason: "asked" }, "finance-token", 400],
      ] as const
    ) {
      const res = await call(body, token);
      assertEquals(res.status, status, JSON.stringify(body));
      await res.body?.cancel();
    }
    const ok = await call({ payment_id: Number(paymentId), reason: "customer asked" }, "finance-token");
    assertEquals(ok.status, 200);
    assertEquals((await ok.json()).status, "completed");
    const again = await call({ payment_id: paymentId, reason: "customer asked" }, "finance-token");
    assertEquals(again.status, 409);
    assertEquals((await again.json()).error.code, "not_refundable");

    const { rows } = await sql<{ actor_id: string; metadata: { reason: string } }>`
      select actor_id::text, metadata from public.audit_log
      where action = 'payments.refund' and target_type = 'payment' and target_id = ${paymentId}`.execute(
      db(),
    );
    assertEquals(rows.map((r) => [r.actor_id, r.metadata.reason]), [[finance.id, "customer asked"]]);
  });
});
