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
  });
  assertEquals(config.mode, "hosted");
  assertEquals(config.publishableKey, "anon");
  assertEquals(config.secretKey, "service");
});
