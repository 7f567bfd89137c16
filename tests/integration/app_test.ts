import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import app from "../../main.ts";
import { HOSTILE_RETURN_ADDRESSES } from "../_support/hostile_next.ts";

const get = (path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { accept: "text/html", ...headers } });

Deno.test("[app] healthz — reports ok when the database answers", async () => {
  const res = await app.request("/healthz");
  assertEquals(res.status, 200);
  assertEquals(await res.json(), { status: "ok", db: "ok" });
});

Deno.test("[app] home — Persian, right-to-left, for a Persian browser", async () => {
  const res = await get("/", { "accept-language": "fa-IR,fa;q=0.9,en;q=0.5" });
  assertEquals(res.status, 200);
  const html = await res.text();
  assertMatch(html, /<html lang="fa" dir="rtl">/);
  assertStringIncludes(html, "پولتان، آماده روی گوشی");
  assertMatch(html, /<script type="module" src="\/static\/build\/islands\.[0-9a-f]{12}\.js"/);
});

Deno.test("[app] home — English, left-to-right, when the cookie says en", async () => {
  const html = await (await get("/", { cookie: "locale=en", "accept-language": "fa" })).text();
  assertMatch(html, /<html lang="en" dir="ltr">/);
  assertStringIncludes(html, "Your money, ready on your phone");
});

Deno.test("[app] security headers — a strict CSP and a request id on every response", async () => {
  const res = await get("/");
  const csp = res.headers.get("content-security-policy") ?? "";
  assertStringIncludes(csp, "script-src 'self'");
  assertStringIncludes(csp, "frame-ancestors 'none'");
  assertEquals(res.headers.get("x-content-type-options"), "nosniff");
  assert(res.headers.get("x-request-id"));
});

Deno.test("[app] locale switch — sets the cookie and redirects back with 303", async () => {
  const res = await app.request("/locale", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8000" },
    body: "locale=en&return_to=%2Fsignin",
  });
  assertEquals(res.status, 303);
  assertEquals(res.headers.get("location"), "/signin");
  assertStringIncludes(res.headers.get("set-cookie") ?? "", "locale=en");
});

Deno.test("[app] locale switch — every hostile return address and an unknown locale are refused (400)", async () => {
  const bodies = [
    ...HOSTILE_RETURN_ADDRESSES.filter((v) => v !== "").map((bad) => ({ locale: "en", return_to: bad })),
    { locale: "de", return_to: "/" },
  ];
  for (const body of bodies) {
    const res = await app.request("/locale", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://127.0.0.1:8000",
        accept: "application/json",
      },
      body: new URLSearchParams(body).toString(),
    });
    assertEquals(res.status, 400, JSON.stringify(body));
    assertEquals(res.headers.get("location"), null);
    assertEquals((await res.json()).error.code, "invalid_input");
  }
});

Deno.test("[app] CSRF — a form post from another origin is refused with 403", async () => {
  const res = await app.request("/locale", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    body: "locale=en&return_to=%2F",
  });
  assertEquals(res.status, 403);
});

Deno.test("[app] not found — an error page for browsers and JSON for API clients", async () => {
  const page = await get("/no-such-page", { cookie: "locale=en" });
  assertEquals(page.status, 404);
  const html = await page.text();
  assertStringIncludes(html, "<h1>Page not found</h1>");
  assertStringIncludes(html, "This page does not exist.");
  const api = await app.request("/api/v1/nothing", { headers: { cookie: "locale=en" } });
  assertEquals(api.status, 404);
  assertEquals(await api.json(), { error: { code: "not_found", message: "Not found." } });
});

Deno.test("[app] static files — hashed bundles are immutable, fonts are served locally", async () => {
  const html = await (await get("/")).text();
  const bundle = html.match(/src="(\/static\/build\/islands\.[0-9a-f]+\.js)"/)![1];
  const res = await app.request(bundle);
  assertEquals(res.status, 200);
  assertStringIncludes(res.headers.get("cache-control") ?? "", "immutable");
  await res.body?.cancel();
  const font = await app.request("/static/build/fonts/vazirmatn-arabic-400-normal.woff2");
  assertEquals(font.status, 200);
  await font.body?.cancel();
});
