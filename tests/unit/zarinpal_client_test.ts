import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import {
  createZarinpalClient,
  type ZarinpalClientOptions,
  type ZarinpalExchange,
  ZarinpalUnavailable,
} from "../../lib/payments/zarinpal.ts";
import { createZarinpalSandbox, type SandboxControl } from "../../local/zarinpal/mod.ts";

const MERCHANT = "6b2c1e0a-4a7b-4a57-9d35-0f1f2e3d4c5b";
const CALLBACK = "http://127.0.0.1:8000/payments/callback?payment=7";

interface Harness {
  base: string;
  control: SandboxControl;
  exchanges: ZarinpalExchange[];
  client: (options?: Partial<ZarinpalClientOptions>) => ReturnType<typeof createZarinpalClient>;
}

/** Serves a fresh sandbox on 127.0.0.1 for one test and shuts it down afterwards. */
async function withSandbox(fn: (h: Harness) => Promise<void>): Promise<void> {
  const { app, control } = createZarinpalSandbox();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}/pg/v4/payment/`;
  const exchanges: ZarinpalExchange[] = [];
  const client = (options: Partial<ZarinpalClientOptions> = {}) =>
    createZarinpalClient({
      baseUrl: base,
      merchantId: MERCHANT,
      timeoutMs: 2_000,
      retries: 2,
      retryDelayMs: 1,
      onExchange: (e) => void exchanges.push(e),
      ...options,
    });
  try {
    await fn({ base, control, exchanges, client });
  } finally {
    control.reset();
    await server.shutdown();
  }
}

/** A paid payment: request, then the buyer presses Pay on the StartPay page. */
async function paidAuthority(
  zp: ReturnType<typeof createZarinpalClient>,
  amount = 250_000n,
): Promise<string> {
  const created = await zp.request({ amount, description: "Wallet top-up", callbackUrl: CALLBACK });
  assert(created.ok);
  const res = await fetch(zp.startPayUrl(created.authority), {
    method: "POST",
    body: new URLSearchParams({ action: "pay" }),
    redirect: "manual",
  });
  await res.body?.cancel();
  assertEquals(res.status, 302);
  return created.authority;
}

Deno.test("[zarinpal client] request, StartPay and verify — 100 with ref_id, then 101 with the same ref_id", async () => {
  await withSandbox(async ({ base, client }) => {
    const zp = client();
    const created = await zp.request({
      amount: 250_000n,
      description: "Wallet top-up",
      callbackUrl: CALLBACK,
      metadata: { mobile: "09121234567", orderId: "7" },
    });
    assert(created.ok);
    assertEquals([created.code, created.fee, created.feeType], [100, 2_500n, "Merchant"]);
    assertEquals(
      zp.startPayUrl(created.authority),
      base.replace("v4/payment/", "StartPay/") + created.authority,
    );
    const page = await fetch(zp.startPayUrl(created.authority));
    assertEquals(page.status, 200);
    await page.body?.cancel();
    const authority = await paidAuthority(zp);
    const first = await zp.verify({ amount: 250_000n, authority });
    assert(first.ok && first.code === 100);
    assert(Number.isInteger(first.refId));
    assertEquals(first.cardPan, "603799******7890");
    assertEquals(first.cardHash?.length, 64);
    const second = await zp.verify({ amount: 250_000n, authority });
    assert(second.ok && second.code === 101);
    assertEquals(second.refId, first.refId);
    const order = await zp.verify({ amount: 250_000n, authority: created.authority });
    assert(!order.ok);
    assertEquals(order.code, -51);
  });
});

Deno.test("[zarinpal client] verify — a 4xx answer is a failure result and is not retried", async () => {
  await withSandbox(async ({ client, exchanges }) => {
    const zp = client();
    const authority = await paidAuthority(zp);
    exchanges.length = 0;
    const wrong = await zp.verify({ amount: 1_000n, authority });
    assertEquals(wrong, {
      ok: false,
      code: -50,
      message: "Session is not valid, amounts values is not the same.",
      validations: [],
      httpStatus: 422,
    });
    assertEquals(exchanges.length, 1);
    assertEquals(exchanges[0].response?.status, 422);
  });
});

Deno.test("[zarinpal client] request — validation errors come back with their validations list", async () => {
  await withSandbox(async ({ client }) => {
    const result = await client().request({ amount: 10, description: "", callbackUrl: "ftp://nowhere" });
    assert(!result.ok);
    assertEquals(result.code, -9);
    assertEquals(result.validations.map((v) => Object.keys(v)[0]).sort(), [
      "amount",
      "callback_url",
      "description",
    ]);
    await assertRejects(
      () => client().request({ amount: 0n, description: "d", callbackUrl: CALLBACK }),
      "amount",
    );
  });
});

Deno.test("[zarinpal client] network error — retried, and the retry's answer is used", async () => {
  await withSandbox(async ({ client, exchanges }) => {
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls++;
      return calls === 1 ? Promise.reject(new TypeError("connection reset")) : fetch(input, init);
    };
    const result = await client({ fetch: flaky }).unverified();
    assert(result.ok);
    assertEquals(calls, 2);
    assertEquals(exchanges.map((e) => [e.attempt, e.error?.startsWith("network") ?? e.response?.status]), [
      [1, true],
      [2, 200],
    ]);
  });
});

Deno.test("[zarinpal client] network error — after every retry fails it throws ZarinpalUnavailable", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const exchanges: ZarinpalExchange[] = [];
  const zp = createZarinpalClient({
    baseUrl: `http://127.0.0.1:${port}/pg/v4/payment/`,
    merchantId: MERCHANT,
    timeoutMs: 1_000,
    retries: 2,
    retryDelayMs: 1,
    onExchange: (e) => void exchanges.push(e),
  });
  const error = await assertRejects(() => zp.inquiry("S" + "0".repeat(35)), "unavailable (network)");
  assert(error instanceof ZarinpalUnavailable);
  assertEquals([error.endpoint, error.reason], ["inquiry", "network"]);
  assertEquals(exchanges.map((e) => e.attempt), [1, 2, 3]);
});

Deno.test("[zarinpal client] timeout — a hung verify throws ZarinpalUnavailable(timeout) with no retries", async () => {
  await withSandbox(async ({ client, control }) => {
    const zp = client({ timeoutMs: 150, retries: 0 });
    const authority = await paidAuthority(zp);
    control.timeoutNext("verify", 5_000);
    const error = await assertRejects(() => zp.verify({ amount: 250_000n, authority }), "timeout");
    assert(error instanceof ZarinpalUnavailable && error.reason === "timeout");
  });
});

Deno.test("[zarinpal client] timeout — the retry after a hang finds the payment already verified (101)", async () => {
  await withSandbox(async ({ client, control, exchanges }) => {
    const zp = client({ timeoutMs: 200, retries: 1 });
    const authority = await paidAuthority(zp);
    control.timeoutNext("verify", 300);
    exchanges.length = 0;
    const result = await zp.verify({ amount: 250_000n, authority });
    assert(result.ok);
    assert(result.code === 100 || result.code === 101, "either order of the two verifies is fine");
    assertEquals(control.verifyCalls(authority), 2);
    assertEquals(exchanges.map((e) => e.error?.slice(0, 7) ?? e.response?.status), ["timeout", 200]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assertEquals(control.session(authority)?.status, "VERIFIED");
  });
});

Deno.test("[zarinpal client] 5xx — throws ZarinpalUnavailable(server_error) at once, without retrying", async () => {
  await withSandbox(async ({ client, control, exchanges }) => {
    const zp = client({ retries: 3 });
    const authority = await paidAuthority(zp);
    exchanges.length = 0;
    control.failNextVerify(502);
    const error = await assertRejects(() => zp.verify({ amount: 250_000n, authority }), "server_error");
    assert(error instanceof ZarinpalUnavailable);
    assertEquals(exchanges.length, 1);
    control.down("all", true);
    await assertRejects(() => zp.unverified(), "HTTP 503");
    control.down("all", false);
    assert((await zp.verify({ amount: 250_000n, authority })).ok, "nothing was verified by the failed calls");
  });
});

Deno.test('[zarinpal client] unverified — the string code "100" is accepted and amounts are bigint', async () => {
  await withSandbox(async ({ client }) => {
    const zp = client();
    const authority = await paidAuthority(zp, 50_500n);
    const result = await zp.unverified();
    assert(result.ok);
    assertEquals(result.code, 100);
    assertEquals(result.authorities.length, 1);
    assertEquals(result.authorities[0].authority, authority);
    assertEquals(result.authorities[0].amount, 50_500n);
    assertEquals(result.authorities[0].callbackUrl, CALLBACK);
  });
});

Deno.test("[zarinpal client] inquiry and reverse — statuses and reverse codes map to results", async () => {
  await withSandbox(async ({ client, control }) => {
    const zp = client();
    const authority = await paidAuthority(zp);
    assertEquals(await zp.inquiry(authority), { ok: true, code: 100, status: "PAID" });
    await zp.verify({ amount: 250_000n, authority });
    control.setIpAllowList(false);
    assertEquals((await zp.reverse(authority) as { code: number }).code, -62);
    control.setIpAllowList(true);
    assertEquals(await zp.reverse(authority), { ok: true, code: 100 });
    assertEquals(await zp.inquiry(authority), { ok: true, code: 100, status: "REVERSED" });
  });
});

Deno.test("[zarinpal client] 2xx-with-errors mode — an error object in a 200 is still a failure", async () => {
  await withSandbox(async ({ client, control }) => {
    control.setStatusMode("2xx");
    const result = await client().verify({ amount: 1_000n, authority: "S" + "3".repeat(35) });
    assertEquals(result, {
      ok: false,
      code: -54,
      message: "Invalid authority.",
      validations: [],
      httpStatus: 200,
    });
  });
});

Deno.test("[zarinpal client] parsing — string codes, errors as an array, 101 outside verify, non-Zarinpal bodies", async () => {
  const answer = (body: unknown, status = 200): typeof fetch => () =>
    Promise.resolve(new Response(typeof body === "string" ? body : JSON.stringify(body), { status }));
  const zp = (stub: typeof fetch) =>
    createZarinpalClient({
      baseUrl: "https://payment.example/pg/v4/payment",
      merchantId: MERCHANT,
      fetch: stub,
    });
  const verified = await zp(answer({ data: { code: "100", message: "Paid", ref_id: "201" }, errors: [] }))
    .verify({ amount: 1_000, authority: "A1" });
  assertEquals(verified, {
    ok: true,
    code: 100,
    refId: 201,
    cardPan: null,
    cardHash: null,
    fee: null,
    feeType: null,
    orderId: null,
  });
  const listed = await zp(answer({ data: {}, errors: [{ code: "-51", message: "not paid" }] }, 400))
    .verify({ amount: 1_000, authority: "A1" });
  assertEquals(listed, { ok: false, code: -51, message: "not paid", validations: [], httpStatus: 400 });
  const html = zp(answer("<html>404 Not Found</html>", 404));
  const error = await assertRejects(() => html.inquiry("A1"), "bad_response");
  assert(error instanceof ZarinpalUnavailable);
  const odd = await zp(answer({ data: { code: 101 }, errors: [] }))
    .request({ amount: 1_000, description: "d", callbackUrl: CALLBACK });
  assertEquals([odd.ok, odd.code], [false, 101], "101 is success only for verify");
});

Deno.test("[zarinpal client] onExchange — every attempt is reported without the full merchant id", async () => {
  await withSandbox(async ({ client, exchanges }) => {
    await client().request({
      amount: 10_000n,
      description: "d",
      callbackUrl: CALLBACK,
      metadata: { orderId: "9" },
    });
    assertEquals(exchanges.length, 1);
    const [exchange] = exchanges;
    assertEquals(exchange.endpoint, "request");
    assertEquals(exchange.request.amount, 10_000);
    assertEquals(exchange.request.currency, "IRR");
    assertEquals(exchange.request.metadata, { order_id: "9" });
    assert(!JSON.stringify(exchange).includes(MERCHANT), "the merchant id is never logged in full");
    assert(exchange.durationMs >= 0);
    assertEquals(exchange.response?.status, 200);
  });
});

Deno.test("[zarinpal client] startPayUrl — derived from the API base unless configured", () => {
  const derived = createZarinpalClient({
    baseUrl: "https://payment.zarinpal.com/pg/v4/payment/",
    merchantId: MERCHANT,
  });
  assertEquals(derived.startPayUrl("A1"), "https://payment.zarinpal.com/pg/StartPay/A1");
  const custom = createZarinpalClient({
    baseUrl: "http://127.0.0.1:9/api/",
    startPayBaseUrl: "https://www.zarinpal.com/pg/StartPay/",
    merchantId: MERCHANT,
  });
  assertEquals(custom.startPayUrl("A2"), "https://www.zarinpal.com/pg/StartPay/A2");
  assertThrows(
    () => createZarinpalClient({ baseUrl: "http://127.0.0.1:9/api/", merchantId: MERCHANT }),
    "startPay",
  );
});
