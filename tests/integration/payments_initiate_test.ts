import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT } from "jose";
import { sql } from "kysely";
import { db } from "../../lib/db/client.ts";
import { loadLocalKeys } from "../../local/keys.ts";
import { initiatePayment } from "../../lib/payments/initiate.ts";
import { paymentErrors } from "../../lib/payments/errors.ts";
import { createInitiateHandler } from "../../functions/payments-initiate/index.ts";
import { InvalidToken } from "../../lib/auth/tokens.ts";
import type { TestUser } from "../_support/db.ts";
import { withPayments } from "../_support/payments.ts";

async function paymentCount(userId: string): Promise<number> {
  const { rows } = await sql<
    { n: number }
  >`select count(*)::int as n from public.payments where user_id = ${userId}`
    .execute(db());
  return rows[0].n;
}

Deno.test("[payments initiate] top-up — a pending payment with Zarinpal's authority and the StartPay URL", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const started = await h.start(user, 500_000n);
    assertMatch(started.authority, /^S[0-9A-Za-z]{35}$/);
    assertEquals(started.redirectUrl, `${h.sandboxUrl}/pg/StartPay/${started.authority}`);
    const payment = await h.payment(started.paymentId);
    assertEquals(payment.status, "pending");
    assertEquals(payment.amount, 500_000n);
    assertEquals(payment.authority, started.authority);
    assertEquals(payment.userId, user.id);
    const session = h.control.session(started.authority)!;
    assertEquals(session.amount, 500_000);
    assertEquals(session.currency, "IRR");
    assertMatch(session.callbackUrl, new RegExp(`\\?payment=${started.paymentId}&sig=[\\w-]{43}$`));
  });
});

Deno.test("[payments initiate] amount outside the limits — refused before anything is stored", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    for (const amount of [9_999n, 1_000_000_001n]) {
      const error = await assertRejects(() => initiatePayment(h.ctx, user.claims, { amount }));
      assert(paymentErrors.is(error));
      assertEquals(error.code, "amount_out_of_range");
    }
    assertEquals(await paymentCount(user.id), 0);
  });
});

Deno.test("[payments initiate] gateway refuses or is down — the payment fails at once with the reason", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    h.control.failNext("request", -12);
    const refused = await initiatePayment(h.ctx, user.claims, { amount: 50_000n });
    assertEquals(refused, { ok: false, paymentId: refused.paymentId, reason: "gateway_refused", code: -12 });
    assertEquals((await h.payment(refused.paymentId)).failureReason, "gateway_refused");
    h.control.down("request", true);
    const down = await initiatePayment(h.ctx, user.claims, { amount: 50_000n });
    assertEquals(down.ok, false);
    const payment = await h.payment(down.paymentId);
    assertEquals([payment.status, payment.failureReason], ["failed", "gateway_unavailable"]);
  });
});

Deno.test("[payments initiate] too many open payments — the eleventh within an hour is refused", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    for (let i = 0; i < 10; i++) await h.start(user, 10_000n);
    const error = await assertRejects(() => initiatePayment(h.ctx, user.claims, { amount: 10_000n }));
    assert(paymentErrors.is(error));
    assertEquals(error.status, 429);
  });
});

/**
 * The token with one signature character changed. Not its last characters: ES256 signatures are random, and
 * the last two could already read "xx" (the last one carries only 4 bits) — a 1-in-1,000 pass for a forgery.
 */
function tampered(token: string): string {
  const at = token.lastIndexOf(".") + 10;
  return token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
}

async function tokenVerifier() {
  const keys = await loadLocalKeys();
  const jwks = createLocalJWKSet({ keys: [keys.publicKey] });
  const sign = async (user: TestUser, expiresIn = "5m") =>
    await new SignJWT({ ...user.claims })
      .setProtectedHeader({ alg: "ES256", kid: keys.signingKey.kid })
      .setExpirationTime(expiresIn)
      .sign(await importJWK(keys.signingKey, "ES256"));
  const verify = async (token: string) => {
    try {
      return (await jwtVerify(token, jwks, { audience: "authenticated" })).payload as TestUser["claims"];
    } catch (error) {
      throw new InvalidToken(String(error));
    }
  };
  return { sign, verify };
}

Deno.test("[payments initiate] function — bearer token and JSON body in, payment and redirect URL out", async () => {
  await withPayments(async (h) => {
    const tokens = await tokenVerifier();
    const handler = createInitiateHandler({
      context: () => Promise.resolve(h.ctx),
      verifyToken: tokens.verify,
    });
    const user = await h.user();
    const call = (body: unknown, token?: string) =>
      handler(
        new Request("http://functions.test/functions/v1/payments-initiate", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        }),
      );
    const token = await tokens.sign(user);

    const created = await call({ amount: 120_000 }, token);
    assertEquals(created.status, 201);
    const json = await created.json();
    assertEquals(json.redirect_url, `${h.sandboxUrl}/pg/StartPay/${json.authority}`);
    assertEquals((await h.payment(json.payment_id)).amount, 120_000n);

    const cases: [unknown, string | undefined, number][] = [
      [{ amount: 120_000 }, undefined, 401],
      [{ amount: 120_000 }, tampered(token), 401],
      [{ amount: 120_000 }, await tokens.sign(user, "-1m"), 401],
      [{ amount: 12.5 }, token, 400],
      [{ amount: "120000" }, token, 400],
      [{ amount: 120_000, user_id: crypto.randomUUID() }, token, 400],
      [{ amount: 5_000 }, token, 400],
    ];
    for (const [body, bearer, status] of cases) {
      const res = await call(body, bearer);
      assertEquals(res.status, status, JSON.stringify(body));
      await res.body?.cancel();
    }
    assertEquals(await paymentCount(user.id), 1);
  });
});
