/**
 * The security headers (strict CSP) follow the configuration without parsing its URLs on every response:
 * the CSP is built once per configuration, and a new configuration (setConfig) brings its own origins.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import app from "../../main.ts";
import { config, setConfig } from "../../lib/config.ts";

/** How many URLs are parsed (`new URL`) while `fn` runs. */
async function urlsParsed(fn: () => Promise<unknown>): Promise<number> {
  const Original = globalThis.URL;
  let parsed = 0;
  globalThis.URL = class extends Original {
    constructor(url: string | URL, base?: string | URL) {
      super(url, base);
      parsed++;
    }
  } as typeof URL;
  try {
    await fn();
  } finally {
    globalThis.URL = Original;
  }
  return parsed;
}

Deno.test("[security headers] built once per configuration, not per response", async () => {
  const health = async () => {
    const res = await app.request("/healthz");
    await res.body?.cancel();
    assertStringIncludes(res.headers.get("content-security-policy") ?? "", "frame-ancestors 'none'");
  };
  await health(); // builds this configuration's headers
  const one = await urlsParsed(health);
  const ten = await urlsParsed(async () => {
    for (let i = 0; i < 10; i++) await health();
  });
  // The CSP's origins come from the configuration's URLs: parsed when it was built, not for each response.
  assertEquals(one, 0, `one response parsed ${one} URLs`);
  assertEquals(ten, 0, `ten responses parsed ${ten} URLs`);
});

Deno.test("[security headers] a new configuration brings its own origins", async () => {
  const before = config();
  try {
    setConfig({ ...before, supabaseUrl: "https://example-project.supabase.co" });
    const res = await app.request("/healthz");
    await res.body?.cancel();
    const csp = res.headers.get("content-security-policy") ?? "";
    assertStringIncludes(csp, "img-src 'self' data: https://example-project.supabase.co");
  } finally {
    setConfig(before);
  }
  const res = await app.request("/healthz");
  await res.body?.cancel();
  assertStringIncludes(
    res.headers.get("content-security-policy") ?? "",
    `img-src 'self' data: ${new URL(config().supabaseUrl).origin}`,
  );
});
