import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { Hono } from "hono";
import { createZarinpalSandbox } from "../../local/zarinpal/mod.ts";

const MERCHANT = "6b2c1e0a-4a7b-4a57-9d35-0f1f2e3d4c5b";
const OTHER_MERCHANT = "0f0e0d0c-0b0a-4909-8807-060504030201";
const AUTHORITY = /^[AS][0-9a-zA-Z]{35}$/;
const START = new Date("2026-11-24T08:00:00Z");
const MINUTE = 60_000;

type Sandbox = ReturnType<typeof createZarinpalSandbox>;
// deno-lint-ignore no-explicit-any -- response bodies are checked field by field in each test
type Json = any;

function sandbox(options: { merchantIds?: string[] } = {}): Sandbox {
  return createZarinpalSandbox({ now: () => START, ...options });
}

async function api(sb: Sandbox, endpoint: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await sb.app.request(`/pg/v4/payment/${endpoint}.json`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
  };
}

async function newPayment(sb: Sandbox, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await api(sb, "request", {
    merchant_id: MERCHANT,
    amount: 100_000,
    description: "Wallet top-up",
    callback_url: "http://127.0.0.1:8000/payments/callback?payment=42",
    ...fields,
  });
  assertEquals(res.status, 200, JSON.stringify(res.body));
  return res.body.data.authority;
}

async function paidPayment(sb: Sandbox, fields: Record<string, unknown> = {}): Promise<string> {
  const authority = await newPayment(sb, fields);
  await sb.control.pay(authority);
  return authority;
}

function startPay(sb: Sandbox, authority: string, form?: Record<string, string>) {
  const init = form ? { method: "POST", body: new URLSearchParams(form) } : undefined;
  return sb.app.request(`/pg/StartPay/${authority}`, init);
}

const verify = (sb: Sandbox, authority: string, amount = 100_000, merchant = MERCHANT) =>
  api(sb, "verify", { merchant_id: merchant, amount, authority });

function errorCode(res: { body: Json }): number {
  return res.body.errors.code;
}

Deno.test("[zarinpal sandbox] request — answers 100 with an S authority, the fee and an empty errors list", async () => {
  const sb = sandbox();
  const res = await api(sb, "request", {
    merchant_id: MERCHANT,
    amount: 100_000,
    description: "Order 1010",
    callback_url: "https://shop.example/cb",
  });
  assertEquals(res.status, 200);
  assertEquals(res.body.errors, []);
  assertEquals(res.body.data.code, 100);
  assertEquals(res.body.data.message, "Success");
  assertMatch(res.body.data.authority, AUTHORITY);
  assert(res.body.data.authority.startsWith("S"));
  assertEquals(res.body.data.fee_type, "Merchant");
  assertEquals(res.body.data.fee, 1_000);
});

Deno.test("[zarinpal sandbox] request — every invalid field is listed under -9 with a 422 and data []", async () => {
  const sb = sandbox();
  const res = await api(sb, "request", {
    merchant_id: "not-a-uuid",
    amount: 999,
    currency: "USD",
    description: "x".repeat(501),
    callback_url: "ftp://shop.example/cb",
  });
  assertEquals(res.status, 422);
  assertEquals(res.body.data, []);
  assertEquals(res.body.errors.code, -9);
  assertEquals(res.body.errors.message, "The input params invalid, validation error.");
  const fields = res.body.errors.validations.map((v: Record<string, string>) => Object.keys(v)[0]).sort();
  assertEquals(fields, ["amount", "callback_url", "currency", "description", "merchant_id"]);
});

Deno.test("[zarinpal sandbox] request — missing fields, a JSON array and malformed JSON are all -9", async () => {
  const sb = sandbox();
  const missing = await api(sb, "request", {});
  assertEquals(errorCode(missing), -9);
  assertEquals(missing.body.errors.validations.length, 4);
  assertEquals(errorCode(await api(sb, "request", "[1,2]")), -9);
  assertEquals(errorCode(await api(sb, "request", "{not json")), -9);
  const metadata = await newPayment(sb, { metadata: { card_pan: "123" } }).catch((e) => e);
  assert(metadata instanceof Error, "a 3-digit card_pan is refused");
});

Deno.test("[zarinpal sandbox] request — a digit-string amount is accepted and IRT minimum is 100 tomans", async () => {
  const sb = sandbox();
  assertMatch(await newPayment(sb, { amount: "1100" }), AUTHORITY);
  assertMatch(await newPayment(sb, { amount: 100, currency: "IRT" }), AUTHORITY);
  const tooSmall = await api(sb, "request", {
    merchant_id: MERCHANT,
    amount: 99,
    currency: "IRT",
    description: "d",
    callback_url: "http://x.test/",
  });
  assertEquals(tooSmall.body.errors.validations, [{ amount: "The amount must be at least 100." }]);
});

Deno.test("[zarinpal sandbox] request — above 100,000,000 tomans is -41", async () => {
  const sb = sandbox();
  const base = { merchant_id: MERCHANT, description: "big", callback_url: "http://x.test/" };
  assertEquals(errorCode(await api(sb, "request", { ...base, amount: 1_000_000_001 })), -41);
  assertEquals(errorCode(await api(sb, "request", { ...base, amount: 100_000_001, currency: "IRT" })), -41);
  assertEquals((await api(sb, "request", { ...base, amount: 1_000_000_000 })).status, 200);
});

Deno.test("[zarinpal sandbox] request — an unregistered merchant is -10 and a disabled one -11", async () => {
  const sb = sandbox({ merchantIds: [MERCHANT] });
  const body = { amount: 10_000, description: "d", callback_url: "http://x.test/" };
  assertEquals(errorCode(await api(sb, "request", { ...body, merchant_id: OTHER_MERCHANT })), -10);
  assertEquals((await api(sb, "request", { ...body, merchant_id: MERCHANT.toUpperCase() })).status, 200);
  sb.control.setMerchantActive(MERCHANT, false);
  assertEquals(errorCode(await api(sb, "request", { ...body, merchant_id: MERCHANT })), -11);
  assertEquals(errorCode(await api(sb, "unVerified", { merchant_id: MERCHANT })), -11);
});

Deno.test("[zarinpal sandbox] request — callback domain mismatch is -14 and fixed wages above the amount -34", async () => {
  const sb = sandbox();
  sb.control.configure({ callbackDomain: "shop.example" });
  const base = { merchant_id: MERCHANT, amount: 20_000, description: "d" };
  assertEquals(
    errorCode(await api(sb, "request", { ...base, callback_url: "https://evil.example/cb" })),
    -14,
  );
  assertEquals(
    (await api(sb, "request", { ...base, callback_url: "https://pay.shop.example/cb" })).status,
    200,
  );
  const wages = [{ iban: `IR${"1".repeat(24)}`, amount: 30_000, description: "partner" }];
  const res = await api(sb, "request", { ...base, callback_url: "https://shop.example/cb", wages });
  assertEquals(errorCode(res), -34);
});

Deno.test("[zarinpal sandbox] StartPay GET — shows amount in tomans and rials, the description and three buttons", async () => {
  const sb = sandbox();
  const authority = await newPayment(sb, {
    amount: 125_000,
    description: "Top-up <script>alert(1)</script>",
  });
  const res = await startPay(sb, authority);
  assertEquals(res.status, 200);
  const page = await res.text();
  assertStringIncludes(page, 'dir="rtl"');
  assertStringIncludes(page, "<style>");
  assertStringIncludes(page, "12,500 tomans");
  assertStringIncludes(page, "125,000 rials");
  assertStringIncludes(page, "۱۲٬۵۰۰ تومان");
  assertStringIncludes(page, "Top-up &lt;script&gt;");
  assert(!page.includes("<script>alert"), "the description is escaped");
  assertStringIncludes(page, 'name="card_pan"');
  assertStringIncludes(page, 'value="6037991234567890"');
  for (const action of ["pay", "fail", "cancel"]) {
    assertStringIncludes(page, `name="action" value="${action}"`);
  }
  for (const label of ["Pay", "Fail", "Cancel"]) assertStringIncludes(page, label);
  assertEquals(sb.control.session(authority)?.status, "IN_BANK");
  const inquiry = await api(sb, "inquiry", { merchant_id: MERCHANT, authority });
  assertEquals(inquiry.body.data.status, "IN_BANK");
});

Deno.test("[zarinpal sandbox] StartPay GET — an unknown authority and an expired one show an error page", async () => {
  const sb = sandbox();
  const unknown = await startPay(sb, "S" + "0".repeat(35));
  assertEquals(unknown.status, 404);
  assertStringIncludes(await unknown.text(), "Payment not found");
  const authority = await newPayment(sb);
  sb.control.advance(30 * MINUTE);
  const expired = await startPay(sb, authority);
  assertEquals(expired.status, 410);
  assertStringIncludes(await expired.text(), "Payment expired");
  assertEquals(sb.control.session(authority)?.status, "EXPIRED");
});

Deno.test("[zarinpal sandbox] StartPay POST pay — 302 to the callback with Authority and Status=OK, query kept", async () => {
  const sb = sandbox();
  const authority = await newPayment(sb);
  await startPay(sb, authority);
  const res = await startPay(sb, authority, { action: "pay", card_pan: "5022-2910 1234 5995" });
  assertEquals(res.status, 302);
  const location = new URL(res.headers.get("location")!);
  assertEquals(location.origin + location.pathname, "http://127.0.0.1:8000/payments/callback");
  assertEquals(location.searchParams.get("payment"), "42");
  assertEquals(location.searchParams.get("Authority"), authority);
  assertEquals(location.searchParams.get("Status"), "OK");
  const session = sb.control.session(authority)!;
  assertEquals(session.status, "PAID");
  assertEquals(session.cardPan, "502229******5995");
  assert(Number.isInteger(session.refId));
});

Deno.test("[zarinpal sandbox] StartPay POST fail and cancel — Status=NOK, FAILED, and verify answers -51", async () => {
  const sb = sandbox();
  for (const action of ["fail", "cancel"]) {
    const authority = await newPayment(sb);
    const res = await startPay(sb, authority, { action });
    assertEquals(res.status, 302);
    assertEquals(new URL(res.headers.get("location")!).searchParams.get("Status"), "NOK");
    assertEquals(sb.control.session(authority)?.status, "FAILED");
    assertEquals(errorCode(await verify(sb, authority)), -51);
  }
});

Deno.test("[zarinpal sandbox] StartPay POST — a second submit, a bad action and the ZarinGate path", async () => {
  const sb = sandbox();
  const authority = await newPayment(sb);
  assertEquals((await startPay(sb, authority, { action: "refund" })).status, 400);
  assertEquals((await startPay(sb, authority, { action: "pay" })).status, 302);
  const again = await startPay(sb, authority, { action: "pay" });
  assertEquals(again.status, 409);
  assertStringIncludes(await again.text(), "Already processed");
  const gate = await newPayment(sb);
  assertEquals((await sb.app.request(`/pg/StartPay/${gate}/ZarinGate`)).status, 200);
});

Deno.test("[zarinpal sandbox] StartPay POST — a card other than metadata.card_pan fails the payment", async () => {
  const sb = sandbox();
  const authority = await newPayment(sb, { metadata: { card_pan: "6219861012345678" } });
  assertStringIncludes(await (await startPay(sb, authority)).text(), 'value="6219861012345678"');
  const res = await startPay(sb, authority, { action: "pay", card_pan: "6037991234567890" });
  assertEquals(new URL(res.headers.get("location")!).searchParams.get("Status"), "NOK");
  assertEquals(sb.control.session(authority)?.status, "FAILED");
  const pinned = await newPayment(sb, { metadata: { card_pan: "6219861012345678" } });
  assertEquals(
    (await sb.control.pay(pinned)).cardPan,
    "621986******5678",
    "control.pay uses the pinned card",
  );
});

Deno.test("[zarinpal sandbox] verify — the first verify answers 100 with ref_id, masked card_pan and card_hash", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb, { metadata: { order_id: "1010" } });
  const res = await verify(sb, authority);
  assertEquals(res.status, 200);
  assertEquals(res.body.errors, []);
  const data = res.body.data;
  assertEquals(data.code, 100);
  assert(Number.isInteger(data.ref_id));
  assertEquals(data.card_pan, "603799******7890");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("6037991234567890"));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
    .toUpperCase();
  assertEquals(data.card_hash, hex);
  assertEquals([data.fee_type, data.fee, data.order_id], ["Merchant", 1_000, "1010"]);
  assertEquals(sb.control.session(authority)?.status, "VERIFIED");
});

Deno.test("[zarinpal sandbox] verify — a second verify answers 101 with the same ref_id", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb);
  const first = await verify(sb, authority);
  const second = await verify(sb, authority);
  assertEquals(second.status, 200);
  assertEquals(second.body.errors, []);
  assertEquals(second.body.data.code, 101);
  assertEquals(second.body.data.ref_id, first.body.data.ref_id);
  assertEquals(second.body.data.card_hash, first.body.data.card_hash);
  assertEquals(sb.control.verifyCalls(authority), 2);
});

Deno.test("[zarinpal sandbox] verify — precedence: -9, -54, -53, -51, then -50", async () => {
  const sb = sandbox();
  const unpaid = await newPayment(sb);
  const paid = await paidPayment(sb);
  assertEquals(errorCode(await verify(sb, "A123")), -9);
  assertEquals(errorCode(await api(sb, "verify", { merchant_id: MERCHANT, authority: paid })), -9);
  assertEquals(errorCode(await verify(sb, "S" + "1".repeat(35))), -54);
  assertEquals(errorCode(await verify(sb, paid, 5, OTHER_MERCHANT)), -53, "other merchant wins over amount");
  assertEquals(errorCode(await verify(sb, unpaid, 5)), -51, "unpaid wins over amount");
  assertEquals(errorCode(await verify(sb, paid, 100_001)), -50);
  assertEquals(sb.control.session(paid)?.status, "PAID", "failed verifies change nothing");
  assertEquals((await verify(sb, paid)).body.data.code, 100);
});

Deno.test("[zarinpal sandbox] verify — an unpaid authority past its TTL is -51 and inquiry says FAILED", async () => {
  const sb = sandbox();
  sb.control.configure({ authorityTtlMs: 5 * MINUTE });
  const authority = await newPayment(sb);
  sb.control.advance(5 * MINUTE);
  assertEquals(errorCode(await verify(sb, authority)), -51);
  assertEquals((await api(sb, "inquiry", { merchant_id: MERCHANT, authority })).body.data.status, "FAILED");
  let refused = false;
  await sb.control.pay(authority).catch(() => refused = true);
  assert(refused, "an expired session cannot be paid");
});

Deno.test("[zarinpal sandbox] verify — metadata.auto_verify settles at payment, so verify answers 101", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb, { metadata: { auto_verify: true } });
  assertEquals((await verify(sb, authority)).body.data.code, 101);
  assertEquals((await api(sb, "unVerified", { merchant_id: MERCHANT })).body.data.authorities, []);
});

Deno.test("[zarinpal sandbox] verify — with unverifiedRefundAfterMs a forgotten payment is refunded (-51)", async () => {
  const sb = sandbox();
  sb.control.configure({ unverifiedRefundAfterMs: 20 * MINUTE });
  const authority = await paidPayment(sb);
  sb.control.advance(20 * MINUTE);
  assertEquals(errorCode(await verify(sb, authority)), -51);
});

Deno.test("[zarinpal sandbox] unVerified — PAID sessions of this merchant only, newest first, code as a string", async () => {
  const sb = sandbox();
  const older = await paidPayment(sb, { amount: 50_500 });
  sb.control.advance(MINUTE);
  const newer = await paidPayment(sb);
  const verified = await paidPayment(sb);
  await verify(sb, verified);
  await newPayment(sb);
  await paidPayment(sb, { merchant_id: OTHER_MERCHANT });
  const res = await api(sb, "unVerified", { merchant_id: MERCHANT });
  assertEquals(res.body.data.code, "100");
  const list = res.body.data.authorities;
  assertEquals(list.map((a: Json) => a.authority), [newer, older]);
  assertEquals(list[1].amount, 50_500);
  assertEquals(list[1].callback_url, "http://127.0.0.1:8000/payments/callback?payment=42");
  assertEquals(list[1].date, "2026-11-24 11:30:00", "Tehran time");
  sb.control.configure({ unverifiedCodeAsString: false });
  assertEquals((await api(sb, "unVerified", { merchant_id: MERCHANT })).body.data.code, 100);
});

Deno.test("[zarinpal sandbox] unVerified — capped at the 100 newest", async () => {
  const sb = sandbox();
  const authorities: string[] = [];
  for (let i = 0; i < 105; i++) authorities.push(await paidPayment(sb));
  const list = (await api(sb, "unVerified", { merchant_id: MERCHANT })).body.data.authorities;
  assertEquals(list.length, 100);
  assertEquals(list[0].authority, authorities[104]);
  assertEquals(list[99].authority, authorities[5]);
});

Deno.test("[zarinpal sandbox] inquiry — follows the session from IN_BANK through PAID and VERIFIED to REVERSED", async () => {
  const sb = sandbox();
  const authority = await newPayment(sb);
  const status = async () =>
    (await api(sb, "inquiry", { merchant_id: MERCHANT, authority })).body.data.status;
  assertEquals(await status(), "IN_BANK");
  await sb.control.pay(authority);
  assertEquals(await status(), "PAID");
  await verify(sb, authority);
  assertEquals(await status(), "VERIFIED");
  await api(sb, "reverse", { merchant_id: MERCHANT, authority });
  assertEquals(await status(), "REVERSED");
  const other = await api(sb, "inquiry", { merchant_id: OTHER_MERCHANT, authority });
  assertEquals(errorCode(other), -53);
  assertEquals(
    errorCode(await api(sb, "inquiry", { merchant_id: MERCHANT, authority: "S" + "9".repeat(35) })),
    -54,
  );
});

Deno.test("[zarinpal sandbox] reverse — a verified payment reverses once; the second try is -61", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb);
  await verify(sb, authority);
  const res = await api(sb, "reverse", { merchant_id: MERCHANT, authority });
  assertEquals(res.status, 200);
  assertEquals(res.body.data, { code: 100, message: "Reversed" });
  assertEquals(errorCode(await api(sb, "reverse", { merchant_id: MERCHANT, authority })), -61);
  assertEquals(errorCode(await verify(sb, authority)), -51);
});

Deno.test("[zarinpal sandbox] reverse — unverified is -61 unless allowed, 30 minutes after payment is -63", async () => {
  const sb = sandbox();
  const paid = await paidPayment(sb);
  assertEquals(errorCode(await api(sb, "reverse", { merchant_id: MERCHANT, authority: paid })), -61);
  sb.control.configure({ allowReversePaid: true });
  assertEquals((await api(sb, "reverse", { merchant_id: MERCHANT, authority: paid })).status, 200);
  const late = await paidPayment(sb);
  await verify(sb, late);
  sb.control.advance(30 * MINUTE);
  assertEquals(
    (await api(sb, "reverse", { merchant_id: MERCHANT, authority: late })).status,
    200,
    "30:00 is in",
  );
  const later = await paidPayment(sb);
  await verify(sb, later);
  sb.control.advance(30 * MINUTE + 1);
  assertEquals(errorCode(await api(sb, "reverse", { merchant_id: MERCHANT, authority: later })), -63);
});

Deno.test("[zarinpal sandbox] reverse — without a terminal IP allow-list it is -62", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb);
  await verify(sb, authority);
  sb.control.setIpAllowList(false);
  assertEquals(errorCode(await api(sb, "reverse", { merchant_id: MERCHANT, authority })), -62);
  sb.control.setIpAllowList(true);
  assertEquals((await api(sb, "reverse", { merchant_id: MERCHANT, authority })).status, 200);
});

Deno.test("[zarinpal sandbox] feeCalculation — 1% capped, suggested_amount, and the Payer model", async () => {
  const sb = sandbox();
  const small = (await api(sb, "feeCalculation", { merchant_id: MERCHANT, amount: 100_000 })).body.data;
  assertEquals(small, {
    amount: 100_000,
    fee: 1_000,
    fee_type: "Merchant",
    suggested_amount: 101_010,
    code: 100,
    message: "Success",
  });
  const big = (await api(sb, "feeCalculation", { merchant_id: MERCHANT, amount: 50_000_000 })).body.data;
  assertEquals([big.fee, big.suggested_amount], [40_000, 50_040_000]);
  sb.control.configure({ feeType: "Payer", feePercent: 2, feeCapRial: 1_000_000 });
  const payer = (await api(sb, "request", {
    merchant_id: MERCHANT,
    amount: 100_000,
    description: "d",
    callback_url: "http://x.test/",
  })).body.data;
  assertEquals([payer.fee_type, payer.fee], ["Payer", 2_000]);
  assertEquals(errorCode(await api(sb, "feeCalculation", { merchant_id: MERCHANT, amount: 10 })), -9);
});

Deno.test("[zarinpal sandbox] control — failNextVerify answers one forced code, then verify works again", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb);
  sb.control.failNextVerify(-52);
  const forced = await verify(sb, authority);
  assertEquals([forced.status, errorCode(forced)], [422, -52]);
  assertEquals(forced.body.errors.message, "Oops!!, please contact our support team");
  sb.control.failNextVerify(502);
  const gateway = await verify(sb, authority);
  assertEquals(gateway.status, 502);
  assertStringIncludes(gateway.body, "502");
  assertEquals((await verify(sb, authority)).body.data.code, 100);
  assertEquals(sb.control.verifyCalls(authority), 3);
});

Deno.test("[zarinpal sandbox] control — down answers 503 for one endpoint or all, until brought back up", async () => {
  const sb = sandbox();
  const authority = await newPayment(sb);
  sb.control.down("verify", true);
  assertEquals((await verify(sb, authority)).status, 503);
  assertEquals((await api(sb, "inquiry", { merchant_id: MERCHANT, authority })).status, 200);
  sb.control.down("all", true);
  assertEquals((await startPay(sb, authority)).status, 503);
  assertEquals((await api(sb, "request", {})).status, 503);
  sb.control.down("all", false);
  sb.control.down("verify", false);
  assertEquals(errorCode(await verify(sb, authority)), -51);
});

Deno.test("[zarinpal sandbox] control — delay slows every call and timeoutNext hangs one, which still counts", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb);
  sb.control.delay("inquiry", 60);
  let started = performance.now();
  await api(sb, "inquiry", { merchant_id: MERCHANT, authority });
  assert(performance.now() - started >= 55);
  sb.control.delay("inquiry", 0);
  // A hang far longer than an in-process call takes on a loaded machine, so "one-shot" cannot be blurred.
  sb.control.timeoutNext("verify", 600);
  started = performance.now();
  assertEquals((await verify(sb, authority)).body.data.code, 100, "the hung verify is still processed");
  assert(performance.now() - started >= 595);
  started = performance.now();
  assertEquals((await verify(sb, authority)).body.data.code, 101);
  assert(performance.now() - started < 300, "the hang was one-shot");
});

Deno.test("[zarinpal sandbox] control — reset ends a hang early and forgets sessions and faults", async () => {
  const sb = sandbox();
  const authority = await paidPayment(sb);
  sb.control.timeoutNext("verify", 60_000);
  const hung = verify(sb, authority);
  await new Promise((resolve) => setTimeout(resolve, 10));
  sb.control.down("all", true);
  sb.control.reset();
  assertEquals(errorCode(await hung), -54, "processed after reset, when the session is gone");
  assertEquals(sb.control.sessions(), []);
  assertEquals(sb.control.verifyCalls(authority), 0);
  assertEquals((await api(sb, "request", {})).status, 422, "no longer down");
});

Deno.test("[zarinpal sandbox] control — status mode 2xx sends failures with 200; 4xx takes a status", async () => {
  const sb = sandbox();
  sb.control.setStatusMode("2xx");
  const ok = await api(sb, "verify", {});
  assertEquals([ok.status, errorCode(ok)], [200, -9]);
  sb.control.setStatusMode("4xx", 400);
  assertEquals((await api(sb, "verify", {})).status, 400);
});

Deno.test("[zarinpal sandbox] control — a rate limit answers -12 past the allowed calls in the window", async () => {
  const sb = sandbox();
  sb.control.configure({ rateLimit: { max: 2, windowMs: MINUTE } });
  const body = { merchant_id: MERCHANT };
  assertEquals((await api(sb, "unVerified", body)).status, 200);
  assertEquals((await api(sb, "unVerified", body)).status, 200);
  assertEquals(errorCode(await api(sb, "unVerified", body)), -12);
  sb.control.advance(MINUTE);
  assertEquals((await api(sb, "unVerified", body)).status, 200);
});

Deno.test("[zarinpal sandbox] control — sessions() and setNow show the state with the injected clock", async () => {
  const sb = sandbox();
  sb.control.setNow("2026-12-01T10:00:00Z");
  const authority = await newPayment(sb, { metadata: { mobile: "09121234567" } });
  const [view] = sb.control.sessions();
  assertEquals(view.authority, authority);
  assertEquals(view.createdAt, "2026-12-01T10:00:00.000Z");
  assertEquals(view.expiresAt, "2026-12-01T10:30:00.000Z");
  assertEquals(view.metadata, { mobile: "09121234567" });
  assertEquals([view.status, view.cardPan, view.refId], ["CREATED", null, null]);
  const paid = await sb.control.pay(authority, { card_pan: "6219861012345678" });
  assertEquals([paid.status, paid.cardPan, paid.paidAt], [
    "PAID",
    "621986******5678",
    "2026-12-01T10:00:00.000Z",
  ]);
});

Deno.test("[zarinpal sandbox] control HTTP — /_control drives the same knobs as JSON", async () => {
  const sb = sandbox();
  const control = (path: string, body?: unknown) =>
    sb.app.request(
      `/_control${path}`,
      body === undefined ? {} : { method: "POST", body: JSON.stringify(body) },
    );
  const authority = await newPayment(sb);
  const paid = await (await control(`/pay/${authority}`, { card_pan: "6037991234567890" })).json();
  assertEquals(paid.status, "PAID");
  assertEquals((await control(`/pay/${authority}`, {})).status, 409);
  assertEquals((await control(`/pay/S${"2".repeat(35)}`, {})).status, 404);
  assertEquals((await control("/fail-next", { code: -52 })).status, 200);
  assertEquals(errorCode(await verify(sb, authority)), -52);
  assertEquals((await (await control(`/verify-calls/${authority}`)).json()).count, 1);
  assertEquals((await control("/clock", { advanceMs: 31 * MINUTE })).status, 200);
  assertEquals((await control("/ip-allow-list", { enabled: false })).status, 200);
  assertEquals((await control("/policy", { reverseWindowMs: -1 })).status, 400);
  assertEquals((await control("/policy", { nonsense: true })).status, 400);
  assertEquals((await control("/down", { endpoint: "verify", down: true })).status, 200);
  assertEquals((await verify(sb, authority)).status, 503);
  assertEquals((await (await control(`/sessions/${authority}`)).json()).status, "PAID");
  assertEquals((await control("/reset", {})).status, 200);
  assertEquals(await (await control("/sessions")).json(), []);
});

Deno.test("[zarinpal sandbox] mount — the API and StartPay work under /sandbox/zarinpal on a parent app", async () => {
  const { app, control } = createZarinpalSandbox();
  const gateway = new Hono().route("/sandbox/zarinpal", app);
  const res = await gateway.request("/sandbox/zarinpal/pg/v4/payment/request.json", {
    method: "POST",
    body: JSON.stringify({
      merchant_id: MERCHANT,
      amount: 10_000,
      description: "d",
      callback_url: "http://x.test/cb",
    }),
  });
  const { authority } = (await res.json()).data;
  assertEquals((await gateway.request(`/sandbox/zarinpal/pg/StartPay/${authority}`)).status, 200);
  const paid = await gateway.request(`/sandbox/zarinpal/pg/StartPay/${authority}`, {
    method: "POST",
    body: new URLSearchParams({ action: "pay" }),
  });
  assertEquals(paid.headers.get("location"), `http://x.test/cb?Authority=${authority}&Status=OK`);
  assertEquals((await gateway.request("/sandbox/zarinpal/_control/sessions")).status, 200);
  assertEquals(control.session(authority)?.status, "PAID");
});
