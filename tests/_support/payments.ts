/** Payments test harness: a private Zarinpal sandbox on a free port, a context on its own merchant, and checks. */
import { sql } from "kysely";
import { assertEquals } from "@std/assert";
import { createZarinpalSandbox, type SandboxControl } from "../../local/zarinpal/mod.ts";
import {
  createPaymentsContext,
  merchantKeyOf,
  type PaymentsContext,
  type PaymentSettings,
} from "../../lib/payments/context.ts";
import { initiatePayment } from "../../lib/payments/initiate.ts";
import { createPending, findPayment, type Payment } from "../../lib/payments/store.ts";
import { createVerifyHandler } from "../../functions/payments-verify/index.ts";
import { asService, asUser, db } from "../../lib/db/client.ts";
import { createUser, type TestUser } from "./db.ts";
import { walletOf } from "./ledger.ts";
import { assertLedgerInvariants } from "./invariants.ts";

export interface PaymentsHarness {
  ctx: PaymentsContext;
  control: SandboxControl;
  sandboxUrl: string;
  user: (name?: string) => Promise<TestUser>;
  /** Starts a top-up as `user` and returns its id and authority (asserting the gateway accepted it). */
  start: (
    user: TestUser,
    amount?: bigint,
  ) => Promise<{ paymentId: string; authority: string; redirectUrl: string }>;
  /** The buyer presses a button on the StartPay page; returns the callback URL the gateway redirects to. */
  press: (redirectUrl: string, action: "pay" | "fail" | "cancel") => Promise<string>;
  /** The browser arrives at payments-verify with `url`. */
  callback: (url: string) => Promise<Response>;
  payment: (id: string) => Promise<Payment>;
}

/** Runs `fn` against a fresh sandbox whose merchant id is unique, so reconciliation sees only this test's payments. */
export async function withPayments(
  fn: (h: PaymentsHarness) => Promise<void>,
  overrides: Partial<PaymentSettings> = {},
): Promise<void> {
  const { app, control } = createZarinpalSandbox();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const sandboxUrl = `http://127.0.0.1:${server.addr.port}`;
  const merchantId = crypto.randomUUID();
  const settings: PaymentSettings = {
    merchantId,
    merchantKey: await merchantKeyOf(merchantId),
    apiUrl: `${sandboxUrl}/pg/v4/payment/`,
    callbackSecret: crypto.randomUUID() + crypto.randomUUID(),
    verifyUrl: "http://functions.test/functions/v1/payments-verify",
    appUrl: "http://app.test",
    minRial: 10_000n,
    maxRial: 1_000_000_000n,
    authorityTtlSeconds: 1800,
    reverseWindowSeconds: 1800,
    timeoutMs: 2_000,
    retries: 0,
    ...overrides,
  };
  const ctx = createPaymentsContext(settings);
  const verify = createVerifyHandler(() => Promise.resolve(ctx));
  const h: PaymentsHarness = {
    ctx,
    control,
    sandboxUrl,
    user: (name = "payer") => createUser(name),
    start: async (user, amount = 500_000n) => {
      const result = await initiatePayment(ctx, user.claims, { amount, email: user.email });
      if (!result.ok) throw new Error(`initiate failed: ${JSON.stringify(result)}`);
      return result;
    },
    press: async (redirectUrl, action) => {
      const res = await fetch(redirectUrl, {
        method: "POST",
        body: new URLSearchParams({ action }),
        redirect: "manual",
      });
      await res.body?.cancel();
      assertEquals(res.status, 302);
      return res.headers.get("location")!;
    },
    callback: (url) => verify(new Request(url)),
    payment: async (id) => (await asService((tx) => findPayment(tx, id)))!,
  };
  try {
    await fn(h);
  } finally {
    control.reset();
    await server.shutdown();
  }
}

/** The user's wallet balance in rials. */
export async function balanceOf(userId: string): Promise<bigint> {
  return (await walletOf(userId)).balance;
}

/** How many ledger transactions credited this payment (must never exceed one). */
export async function creditsFor(paymentId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ledger.transactions where idempotency_key = ${"payment:" + paymentId}`
    .execute(db());
  return rows[0].n;
}

/** The payment is settled, not flagged, credited exactly once, the wallet holds `balance` and the ledger adds up. */
export async function assertCreditedOnce(
  h: PaymentsHarness,
  paymentId: string,
  userId: string,
  balance: bigint,
): Promise<void> {
  const payment = await h.payment(paymentId);
  assertEquals([payment.status, payment.needsReview], ["verified", false]);
  assertEquals(await creditsFor(paymentId), 1);
  assertEquals(await balanceOf(userId), balance);
  await assertLedgerInvariants();
}

/** A pending top-up opened by `user` itself (RLS as in the app), on a test merchant; returns its id. */
export async function pendingPaymentOf(
  user: { id: string; email: string },
  amount: bigint,
  ttlSeconds = 1800,
): Promise<string> {
  const claims = { sub: user.id, role: "authenticated", email: user.email, user_role: "user" };
  return await asUser(
    claims,
    (tx) => createPending(tx, { amount, description: "test", merchantKey: "0123456789abcdef", ttlSeconds }),
  );
}
