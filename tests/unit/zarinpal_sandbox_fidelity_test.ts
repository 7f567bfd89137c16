/**
 * Sandbox fidelity gaps found by running real npm clients against it (security review item 16): what the real
 * gateway (PHP) accepts, the legacy refresh.json, and the JSON envelope on every path under the API.
 */
import { assertEquals, assertMatch } from "@std/assert";
import { createZarinpalSandbox } from "../../local/zarinpal/mod.ts";

const MERCHANT = "6b2c1e0a-4a7b-4a57-9d35-0f1f2e3d4c5b";
const START = new Date("2026-11-24T08:00:00Z");
const MINUTE = 60_000;
const CALLBACK = "http://127.0.0.1:8000/payments/callback?payment=42";

type Sandbox = ReturnType<typeof createZarinpalSandbox>;
// deno-lint-ignore no-explicit-any -- response bodies are checked field by field
type Json = any;

async function call(sb: Sandbox, path: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const res = await sb.app.request(path, init);
  const text = await res.text();
  assertMatch(res.headers.get("content-type") ?? "", /json/, `${path} answered ${res.status}: ${text}`);
  return { status: res.status, body: JSON.parse(text) };
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const requestBody = (fields: Record<string, unknown> = {}) => ({
  merchant_id: MERCHANT,
  amount: 100_000,
  description: "Wallet top-up",
  callback_url: CALLBACK,
  ...fields,
});

function assertErrorEnvelope(body: Json, code: number) {
  assertEquals(body.data, []);
  assertEquals(body.errors.code, code);
  assertEquals(typeof body.errors.message, "string");
  assertEquals(Array.isArray(body.errors.validations), true);
}

Deno.test("[zarinpal sandbox fidelity] metadata — [] and {} are both accepted, as PHP does; a list carries no fields", async () => {
  const sb = createZarinpalSandbox({ now: () => START });
  for (const metadata of [[], {}, ["09121234567", "a@b.com", "1010"]]) {
    const res = await call(sb, "/pg/v4/payment/request.json", json(requestBody({ metadata })));
    assertEquals(res.status, 200, JSON.stringify(res.body));
    assertEquals(res.body.data.code, 100);
  }
  const typed = await call(sb, "/pg/v4/payment/request.json", json(requestBody({ metadata: "mobile" })));
  assertEquals(typed.status, 422);
  assertErrorEnvelope(typed.body, -9);
});

Deno.test("[zarinpal sandbox fidelity] form-encoded bodies — request and verify accept application/x-www-form-urlencoded", async () => {
  const sb = createZarinpalSandbox({ now: () => START });
  const form = (fields: Record<string, string>): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  const created = await call(
    sb,
    "/pg/v4/payment/request.json",
    form({
      merchant_id: MERCHANT,
      amount: "100000",
      description: "Wallet top-up",
      callback_url: CALLBACK,
      "metadata[mobile]": "09121234567",
      "metadata[order_id]": "1010",
    }),
  );
  assertEquals(created.status, 200, JSON.stringify(created.body));
  const authority = created.body.data.authority;
  assertEquals(sb.control.session(authority)?.metadata, { mobile: "09121234567", order_id: "1010" });
  await sb.control.pay(authority);
  const verified = await call(
    sb,
    "/pg/v4/payment/verify.json",
    form({ merchant_id: MERCHANT, amount: "100000", authority }),
  );
  assertEquals(verified.status, 200, JSON.stringify(verified.body));
  assertEquals(verified.body.data.code, 100);
  assertEquals(verified.body.data.order_id, "1010");
  const broken = await call(sb, "/pg/v4/payment/verify.json", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{not json",
  });
  assertErrorEnvelope(broken.body, -9);
});

Deno.test("[zarinpal sandbox fidelity] refresh.json — extends a waiting authority; refused for unknown or settled ones", async () => {
  const sb = createZarinpalSandbox({ now: () => START });
  const created = await call(sb, "/pg/v4/payment/request.json", json(requestBody()));
  const authority = created.body.data.authority;
  const refreshed = await call(
    sb,
    "/pg/v4/payment/refresh.json",
    json({ merchant_id: MERCHANT, authority, expire: 3600 }),
  );
  assertEquals(refreshed.status, 200, JSON.stringify(refreshed.body));
  assertEquals(refreshed.body.data.code, 100);
  assertEquals(refreshed.body.errors, []);
  sb.control.advance(45 * MINUTE); // past the default 30-minute TTL, inside the refreshed hour
  assertEquals(sb.control.session(authority)?.status, "CREATED");
  assertEquals(
    sb.control.session(authority)?.expiresAt,
    new Date(START.getTime() + 60 * MINUTE).toISOString(),
  );
  await sb.control.pay(authority);
  const settled = await call(
    sb,
    "/pg/v4/payment/refresh.json",
    json({ merchant_id: MERCHANT, authority, expire: 3600 }),
  );
  assertErrorEnvelope(settled.body, -51);
  const unknown = await call(
    sb,
    "/pg/v4/payment/refresh.json",
    json({ merchant_id: MERCHANT, authority: "S" + "0".repeat(35), expire: 3600 }),
  );
  assertErrorEnvelope(unknown.body, -54);
  const short = await call(
    sb,
    "/pg/v4/payment/refresh.json",
    json({ merchant_id: MERCHANT, authority, expire: 60 }),
  );
  assertErrorEnvelope(short.body, -9);
});

Deno.test("[zarinpal sandbox fidelity] unknown paths and methods under the API — the JSON error envelope, never plain text", async () => {
  const sb = createZarinpalSandbox({ now: () => START });
  const missing = await call(sb, "/pg/v4/payment/nothing.json", json({ merchant_id: MERCHANT }));
  assertEquals(missing.status, 404);
  assertErrorEnvelope(missing.body, -9);
  const deeper = await call(sb, "/pg/v4/payment/a/b", { method: "POST" });
  assertEquals(deeper.status, 404);
  assertErrorEnvelope(deeper.body, -9);
  const wrongMethod = await call(sb, "/pg/v4/payment/request.json");
  assertEquals(wrongMethod.status, 405);
  assertErrorEnvelope(wrongMethod.body, -9);
});
