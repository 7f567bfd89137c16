import { assert, assertEquals, assertThrows } from "@std/assert";
import { ConfigError, loadConfig } from "../../lib/config.ts";

Deno.test("[config] local mode — used when SUPABASE_URL is unset", () => {
  const config = loadConfig({});
  assertEquals(config.mode, "local");
  assertEquals(config.supabaseUrl, "http://127.0.0.1:54321");
  assertEquals(config.PORT, 8000);
});

Deno.test("[config] hosted mode — each missing variable is named on its own line", () => {
  const error = assertThrows(() => loadConfig({ SUPABASE_URL: "https://abc.supabase.co" })) as ConfigError;
  assert(error instanceof ConfigError);
  assert(error.problems.some((p) => p.startsWith("SUPABASE_PUBLISHABLE_KEY (or SUPABASE_ANON_KEY)")));
  assert(error.problems.some((p) => p.startsWith("DATABASE_URL")));
  assert(error.problems.some((p) => p.startsWith("ZARINPAL_MERCHANT_ID")));
});

Deno.test("[config] malformed values — a clear message per variable", () => {
  const error = assertThrows(() =>
    loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", SUPABASE_URL: "not a url" })
  ) as ConfigError;
  const fields = error.problems.map((p) => p.split(":")[0]).sort();
  assertEquals(fields, ["DATABASE_URL", "PORT", "SUPABASE_URL"]);
});

Deno.test("[config] hosted mode — accepts the legacy anon and service role key names", () => {
  const config = loadConfig({
    SUPABASE_URL: "https://abc.supabase.co",
    SUPABASE_ANON_KEY: "anon",
    SUPABASE_SERVICE_ROLE_KEY: "service",
    DATABASE_URL: "postgresql://postgres:pw@db.abc.supabase.co:5432/postgres",
    ZARINPAL_MERCHANT_ID: "7b2ab3a2-4b5e-4a8f-9f64-3f6e1c1d2e3f",
    PAYMENT_CALLBACK_SECRET: "x".repeat(32),
    APP_URL: "https://pishkhan.example",
  });
  assertEquals(config.mode, "hosted");
  assertEquals(config.publishableKey, "anon");
  assertEquals(config.secretKey, "service");
});

const hosted = {
  SUPABASE_URL: "https://abc.supabase.co",
  SUPABASE_PUBLISHABLE_KEY: "sb_publishable_real",
  SUPABASE_SECRET_KEY: "sb_secret_real",
  DATABASE_URL: "postgresql://postgres.abc:pw@aws-0-eu.pooler.supabase.com:6543/postgres",
  ZARINPAL_MERCHANT_ID: "7b2ab3a2-4b5e-4a8f-9f64-3f6e1c1d2e3f",
  PAYMENT_CALLBACK_SECRET: "s".repeat(40),
  APP_URL: "https://pishkhan.example",
};

Deno.test("[config] mode is explicit — the local-stack flag with a hosted SUPABASE_URL is refused", () => {
  const error = assertThrows(() => loadConfig({ ...hosted, PISHKHAN_LOCAL_STACK: "1" })) as ConfigError;
  assert(error.problems.some((p) => p.startsWith("PISHKHAN_LOCAL_STACK")), error.message);
  assertEquals(
    loadConfig({ SUPABASE_URL: "http://127.0.0.1:54321", PISHKHAN_LOCAL_STACK: "1" }).mode,
    "local",
  );
});

Deno.test("[config] hosted mode — refuses published local keys and secrets, and a plain-http APP_URL", () => {
  const published = {
    SUPABASE_SECRET_KEY: "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz",
    SUPABASE_PUBLISHABLE_KEY: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
      btoa(JSON.stringify({ iss: "supabase-demo", role: "anon" })).replace(/=+$/, "") + ".sig",
    PAYMENT_CALLBACK_SECRET: "local-only-payment-callback-secret-0123456789",
    ZARINPAL_MERCHANT_ID: "6b2c1e0a-4a7b-4a57-9d35-0f1f2e3d4c5b",
    APP_URL: "http://pishkhan.example",
  };
  const error = assertThrows(() => loadConfig({ ...hosted, ...published })) as ConfigError;
  const named = error.problems.map((p) => p.split(":")[0]).sort();
  assertEquals(named, [
    "APP_URL",
    "PAYMENT_CALLBACK_SECRET",
    "SUPABASE_PUBLISHABLE_KEY",
    "SUPABASE_SECRET_KEY",
    "ZARINPAL_MERCHANT_ID",
  ]);
  assertEquals(loadConfig(hosted).mode, "hosted");
});

Deno.test("[config] live feeds — LISTEN goes to session mode when DATABASE_URL is Supavisor's transaction mode", () => {
  assertEquals(
    loadConfig(hosted).databaseListenUrl,
    "postgresql://postgres.abc:pw@aws-0-eu.pooler.supabase.com:5432/postgres",
  );
  const direct = "postgresql://postgres:pw@db.abc.supabase.co:5432/postgres";
  assertEquals(loadConfig({ ...hosted, DATABASE_URL: direct }).databaseListenUrl, direct);
  const chosen = "postgresql://postgres:pw@listen.example:5432/postgres";
  assertEquals(loadConfig({ ...hosted, DATABASE_LISTEN_URL: chosen }).databaseListenUrl, chosen);
});
