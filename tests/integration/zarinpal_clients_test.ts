/**
 * Sandbox fidelity measured with real npm Zarinpal clients nobody here wrote (security review item 16):
 * zarinpal-node-sdk (the official SDK), zarinpal-checkout and zarinpal-pay, each through
 * request → StartPay (the buyer presses Pay on the sandbox's page) → verify → what else it supports.
 *
 * None has a base-URL option, so each is pointed at the sandbox by the smallest hook its source allows:
 * - zarinpal-node-sdk: its private axios instance's `defaults.baseURL` and its `baseURL` field (the SDK's own
 *   tests reach `zarinpal["httpClient"]` the same way);
 * - zarinpal-checkout: hard-coded absolute URLs fetched with the global `fetch`, so a fetch shim installed for
 *   the test's duration rewrites `https://sandbox.zarinpal.com/` to the sandbox (its own FetchHttpClient runs);
 * - zarinpal-pay: hard-coded URLs in instance fields (`_baseLinkPayment`, `_sandboxBaseLink`,
 *   `_sandboxGateway`), overwritten on the instance under test; it posts with the global axios as usual.
 * These packages are dev-only: tests/unit/dependency_rules_test.ts keeps them out of shipped code.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import zarinpalNodeSdk from "zarinpal-node-sdk";
import { createWithOptions } from "zarinpal-checkout";
import zarinpalPay from "zarinpal-pay";
import { createZarinpalSandbox, type SandboxControl } from "../../local/zarinpal/mod.ts";

// Both are CommonJS whose .d.ts declare `export default class`; Deno's default import is module.exports.
const ZarinPal = zarinpalNodeSdk.default;
const ZarinpalPayment =
  ((zarinpalPay as { default?: unknown }).default ?? zarinpalPay) as typeof zarinpalPay.default;
const CALLBACK = "http://shop.test/payments/callback?order=1010";
// deno-lint-ignore no-explicit-any -- the clients answer untyped JSON
type Json = any;

interface Sandbox {
  url: string;
  control: SandboxControl;
  merchantId: string;
}

async function withSandbox(fn: (sb: Sandbox) => Promise<void>): Promise<void> {
  const { app, control } = createZarinpalSandbox();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    await fn({ url: `http://127.0.0.1:${server.addr.port}`, control, merchantId: crypto.randomUUID() });
  } finally {
    control.reset();
    await server.shutdown();
  }
}

/** The buyer presses Pay on the StartPay page at `startPayUrl`; returns where the gateway sends them back. */
async function payAt(startPayUrl: string): Promise<URL> {
  const page = await fetch(startPayUrl);
  assertEquals(page.status, 200);
  await page.body?.cancel();
  const res = await fetch(startPayUrl, {
    method: "POST",
    body: new URLSearchParams({ action: "pay" }),
    redirect: "manual",
  });
  await res.body?.cancel();
  assertEquals(res.status, 302);
  return new URL(res.headers.get("location")!);
}

function assertCallback(callback: URL, authority: string) {
  assertEquals(callback.origin + callback.pathname, "http://shop.test/payments/callback");
  assertEquals(callback.searchParams.get("order"), "1010");
  assertEquals(callback.searchParams.get("Authority"), authority);
  assertEquals(callback.searchParams.get("Status"), "OK");
}

/** Replaces the global fetch while `fn` runs, sending `https://sandbox.zarinpal.com/…` to the sandbox. */
async function withFetchShim(sandboxUrl: string, fn: () => Promise<void>): Promise<void> {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const target = url.replace(/^https:\/\/sandbox\.zarinpal\.com\//, `${sandboxUrl}/`);
    return original(input instanceof Request ? new Request(target, input) : target, init);
  };
  try {
    await fn();
  } finally {
    globalThis.fetch = original;
  }
}

Deno.test("[zarinpal clients] zarinpal-node-sdk 2.2.0 — request, StartPay, verify (100 then 101), inquiry, unVerified, reverse, errors", async () => {
  await withSandbox(async (sb) => {
    const zp = new ZarinPal({ merchantId: sb.merchantId, sandbox: true });
    const internals = zp as unknown as { httpClient: { defaults: { baseURL: string } }; baseURL: string };
    internals.httpClient.defaults.baseURL = sb.url;
    internals.baseURL = sb.url;

    const created: Json = await zp.payments.create({
      amount: 120_000,
      callback_url: CALLBACK,
      description: "Wallet top-up",
      mobile: "09121234567",
      email: "buyer@example.com",
    });
    assertEquals(created.data.code, 100);
    assertEquals(created.errors, []);
    const authority: string = created.data.authority;
    assertMatch(authority, /^S[0-9a-zA-Z]{35}$/);
    const startPay = zp.payments.getRedirectUrl(authority);
    assertEquals(startPay, `${sb.url}/pg/StartPay/${authority}`);

    const notYet = await assertRejects(() => zp.verifications.verify({ amount: 120_000, authority }));
    assertEquals((notYet as Json).response.status, 422);
    assertEquals((notYet as Json).response.data.errors.code, -51);

    assertCallback(await payAt(startPay), authority);
    const unverified: Json = await zp.unverified.list();
    assertEquals(unverified.data.authorities.map((a: Json) => a.authority), [authority]);
    assertEquals((await zp.inquiries.inquire({ authority }) as Json).data.status, "PAID");

    const verified: Json = await zp.verifications.verify({ amount: 120_000, authority });
    assertEquals(verified.data.code, 100);
    assert(Number.isInteger(verified.data.ref_id));
    assertMatch(verified.data.card_pan, /^\d{6}\*+\d{4}$/);
    assertMatch(verified.data.card_hash, /^[0-9A-F]{64}$/);
    const again: Json = await zp.verifications.verify({ amount: 120_000, authority });
    assertEquals(again.data.code, 101);
    assertEquals(again.data.ref_id, verified.data.ref_id);
    assertEquals(sb.control.verifyCalls(authority), 3);

    assertEquals((await zp.inquiries.inquire({ authority }) as Json).data.status, "VERIFIED");
    assertEquals((await zp.reversals.reverse({ authority }) as Json).data.code, 100);
    assertEquals((await zp.inquiries.inquire({ authority }) as Json).data.status, "REVERSED");
    const twice = await assertRejects(() => zp.reversals.reverse({ authority }));
    assertEquals((twice as Json).response.data, {
      data: [],
      errors: { code: -61, message: "Session is not in success status.", validations: [] },
    });
  });
});

Deno.test("[zarinpal clients] zarinpal-checkout 1.1.1 — request (IRT, metadata), refresh, StartPay, unVerified, verify, errors", async () => {
  await withSandbox(async (sb) => {
    await withFetchShim(sb.url, async () => {
      const zp = createWithOptions(sb.merchantId, { sandbox: true });
      assertEquals(zp.currency, "IRT");
      const created = await zp.PaymentRequest({
        Amount: 12_000, // toman, the package's default currency
        CallbackURL: CALLBACK,
        Description: "Wallet top-up",
        Email: "buyer@example.com",
        Mobile: "09121234567",
      });
      assertEquals(created.status, 100);
      const authority = created.authority;
      assertEquals(created.url, `https://sandbox.zarinpal.com/pg/StartPay/${authority}`);
      const session = sb.control.session(authority)!;
      assertEquals([session.amount, session.currency], [12_000, "IRT"]);
      assertEquals(session.metadata, { email: "buyer@example.com", mobile: "09121234567" });

      const refreshed = await zp.RefreshAuthority({ Authority: authority, Expire: 3600 });
      assertEquals(refreshed.code, 100);
      const expiresAt = Date.parse(sb.control.session(authority)!.expiresAt);
      assert(
        expiresAt >= Date.parse(session.createdAt) + 3_600_000,
        "refresh extends the authority to an hour",
      );

      const notYet = await assertRejects(() =>
        zp.PaymentVerification({ Amount: 12_000, Authority: authority })
      );
      assertEquals((notYet as Json).errors.code, -51);

      assertCallback(await payAt(created.url), authority);
      const unverified = await zp.UnverifiedTransactions();
      assertEquals(String(unverified.code), "100");
      assertEquals(unverified.authorities.map((a) => (a as unknown as Json).authority), [authority]);

      const verified = await zp.PaymentVerification({ Amount: 12_000, Authority: authority });
      assertEquals(verified.status, 100);
      assert(Number.isInteger(verified.refId));
      assertMatch(verified.cardPan ?? "", /^\d{6}\*+\d{4}$/);
      assertEquals((await zp.PaymentVerification({ Amount: 12_000, Authority: authority })).status, 101);

      const wrongAmount = await assertRejects(() =>
        zp.PaymentVerification({ Amount: 120_000, Authority: authority })
      );
      assertEquals((wrongAmount as Json).errors.code, -50);
      const unknown = await assertRejects(() =>
        zp.RefreshAuthority({ Authority: "S" + "0".repeat(35), Expire: 3600 })
      );
      assertEquals((unknown as Json).data, []);
      assertEquals((unknown as Json).errors.code, -54);
    });
  });
});

Deno.test("[zarinpal clients] zarinpal-pay 3.0.0 — request (metadata as a list), StartPay, verify, inquiry, unVerified, reverse, errors", async () => {
  await withSandbox(async (sb) => {
    const zp = new ZarinpalPayment(sb.merchantId, { isSandbox: true });
    const fields = zp as unknown as Record<string, unknown> & { _setLinks: () => void };
    fields._baseLinkPayment = `${sb.url}/pg/v4/payment`;
    fields._sandboxBaseLink = `${sb.url}/pg/v4/payment`;
    fields._sandboxGateway = `${sb.url}/pg/StartPay`;
    fields._setLinks();

    const created: Json = await zp.create({
      amount: 90_000,
      callback_url: CALLBACK,
      description: "Wallet top-up",
      mobile: "09121234567",
      email: "buyer@example.com",
      order_id: "1010",
    });
    assertEquals(created.code, 100);
    const authority: string = created.authority;
    assertEquals(created.link, `${sb.url}/pg/StartPay/${authority}`);
    assertEquals(sb.control.session(authority)?.currency, "IRR");

    const notYet = await assertRejects(() => zp.verify({ authority, amount: 90_000 }));
    assertEquals((notYet as Json).code, -51);

    assertCallback(await payAt(created.link), authority);
    const unverified: Json = await zp.unverified();
    assertEquals(unverified.authorities.map((a: Json) => a.authority), [authority]);
    assertEquals((await zp.inquiry(authority) as Json).status, "PAID");

    const verified: Json = await zp.verify({ authority, amount: 90_000 });
    assertEquals(verified.code, 100);
    assert(Number.isInteger(verified.ref_id));
    assertEquals((await zp.verify({ authority, amount: 90_000 }) as Json).code, 101);
    assertEquals((await zp.reverse(authority) as Json).code, 100);
    assertEquals((await zp.inquiry(authority) as Json).status, "REVERSED");
    const twice = await assertRejects(() => zp.reverse(authority));
    assertEquals((twice as Json).code, -61);
  });
});
