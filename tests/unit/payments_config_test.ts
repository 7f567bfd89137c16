import { assert, assertEquals, assertThrows } from "@std/assert";
import { ConfigError, loadConfig } from "../../lib/config.ts";

const HOSTED = {
  SUPABASE_URL: "https://abc.supabase.co",
  SUPABASE_PUBLISHABLE_KEY: "sb_publishable_x",
  SUPABASE_SECRET_KEY: "sb_secret_x",
  ZARINPAL_MERCHANT_ID: "7b2ab3a2-4b5e-4a8f-9f64-3f6e1c1d2e3f",
  PAYMENT_CALLBACK_SECRET: "x".repeat(32),
  APP_URL: "https://pishkhan.example",
};

Deno.test("[payments config] local mode — the sandbox on the gateway, a local merchant and callback secret", () => {
  const config = loadConfig({ SUPABASE_URL: "http://127.0.0.1:40001", PISHKHAN_LOCAL_STACK: "1" });
  assertEquals(config.zarinpalApiUrl, "http://127.0.0.1:40001/sandbox/zarinpal/pg/v4/payment/");
  assert(config.zarinpalMerchantId.length === 36);
  assert(config.paymentCallbackSecret.length >= 32);
  assertEquals([config.PAYMENT_MIN_RIAL, config.PAYMENT_MAX_RIAL], [10_000, 1_000_000_000]);
});

Deno.test("[payments config] hosted mode — Zarinpal's production host; Edge Functions' SUPABASE_DB_URL is accepted", () => {
  const config = loadConfig({
    ...HOSTED,
    SUPABASE_DB_URL: "postgresql://postgres:pw@db.abc.supabase.co:5432/postgres",
  });
  assertEquals(config.zarinpalApiUrl, "https://payment.zarinpal.com/pg/v4/payment/");
  assertEquals(config.databaseUrl, "postgresql://postgres:pw@db.abc.supabase.co:5432/postgres");
  assertEquals(config.paymentCallbackSecret, "x".repeat(32));
});

Deno.test("[payments config] limits — a minimum above the maximum, or outside Zarinpal's range, is refused", () => {
  for (
    const limits of [{ PAYMENT_MIN_RIAL: "50000", PAYMENT_MAX_RIAL: "20000" }, { PAYMENT_MIN_RIAL: "10" }]
  ) {
    const error = assertThrows(() => loadConfig(limits)) as ConfigError;
    assert(error.problems.some((p) => p.startsWith("PAYMENT_MIN_RIAL")), JSON.stringify(error.problems));
  }
});
