import { assert, assertEquals, assertMatch } from "@std/assert";
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { onError } from "../../routes/_error.tsx";
import { session } from "../../lib/auth/session.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { sessionCookieName } from "../../lib/auth/supabase.ts";
import { Client, createAccount, signIn, withStack } from "./auth_http_client.ts";

interface StoredSession {
  access_token: string;
  refresh_token: string;
  expires_at: number;
  [key: string]: unknown;
}

const b64url = {
  decode: (s: string) =>
    new TextDecoder().decode(
      Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
    ),
  encode: (s: string) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/\+/g, "-").replace(/\//g, "_").replace(
      /=+$/,
      "",
    ),
};

/** The session @supabase/ssr keeps in the cookie(s) `base64-<base64url JSON>`, possibly chunked. */
function readSession(client: Client): StoredSession {
  const name = sessionCookieName();
  const value = client.cookies.get(name) ??
    [0, 1, 2, 3].map((i) => client.cookies.get(`${name}.${i}`) ?? "").join("");
  return JSON.parse(b64url.decode(decodeURIComponent(value).slice("base64-".length)));
}

function writeSession(client: Client, stored: StoredSession) {
  const name = sessionCookieName();
  for (const key of [...client.cookies.keys()]) {
    if (key.startsWith(name) && !key.includes("verifier")) client.cookies.delete(key);
  }
  client.cookies.set(name, `base64-${b64url.encode(JSON.stringify(stored))}`);
}

Deno.test("[auth session] cookies — HttpOnly, SameSite=Lax, whole-site, not Secure over plain http", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "cookie");
    const res = await new Client(stack.appUrl).post("/signin", {
      email: account.email,
      password: account.password,
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(sessionCookieName()));
    assert(cookie, "session cookie set");
    assertMatch(cookie, /; HttpOnly/);
    assertMatch(cookie, /; SameSite=Lax/i);
    assertMatch(cookie, /; Path=\//);
    assert(!/; Secure/i.test(cookie), cookie);
    assertEquals(res.headers.get("cache-control"), "private, no-cache, no-store, must-revalidate, max-age=0");
  });
});

Deno.test("[auth session] refresh — an expired access token is renewed silently and the cookie rewritten", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "refresher");
    const client = new Client(stack.appUrl);
    await signIn(client, account);
    const before = readSession(client);
    writeSession(client, { ...before, expires_at: Math.floor(Date.now() / 1000) - 5 });
    const res = await client.get("/profile");
    assertEquals(res.status, 200);
    await res.body?.cancel();
    const after = readSession(client);
    assert(after.refresh_token !== before.refresh_token, "the refresh token rotated");
    assert(after.expires_at > Date.now() / 1000 + 600, "a fresh access token");
    assertEquals((await client.get("/profile")).status, 200);
  });
});

Deno.test("[auth session] expired — a session that cannot be refreshed sends the user to sign in with a note", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "lapsed");
    const client = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(client, account);
    writeSession(client, { ...readSession(client), refresh_token: "zzzzzzzzzzzz", expires_at: 1 });
    const res = await client.get("/profile");
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), "/signin?next=%2Fprofile&reason=expired");
    assert(
      ![...client.cookies.keys()].some((k) => k.startsWith(sessionCookieName())),
      "session cookies cleared",
    );
    const page = await client.get("/signin?next=%2Fprofile&reason=expired");
    assertMatch(await page.text(), /Your session has ended\. Please sign in again\./);
  });
});

Deno.test("[auth session] sign out everywhere — other devices lose sensitive actions at once and the session at refresh", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "everywhere");
    const [phone, laptop] = [new Client(stack.appUrl), new Client(stack.appUrl)];
    await signIn(phone, account);
    await signIn(laptop, account);
    const out = await laptop.post("/auth/signout", { scope: "global" });
    assertEquals(out.headers.get("location"), "/signin?notice=signed_out_all");
    assertEquals((await laptop.get("/profile")).status, 303);
    // The phone's access token is still a valid signature, but Auth no longer knows its session.
    const sensitive = await phone.post("/profile/password", {
      current_password: account.password,
      password: "Whatever1x",
      password_confirm: "Whatever1x",
    });
    assertEquals(sensitive.status, 303);
    assertEquals(sensitive.headers.get("location"), "/signin?next=%2Fprofile&reason=expired");
    const phone2 = new Client(stack.appUrl);
    await signIn(phone2, account);
    writeSession(phone2, { ...readSession(phone2), expires_at: 1 });
    await (await laptop.post("/auth/signout", { scope: "global" })).body?.cancel();
    await signIn(laptop, account);
    await (await laptop.post("/auth/signout", { scope: "global" })).body?.cancel();
    assertEquals(
      (await phone2.get("/profile")).headers.get("location"),
      "/signin?next=%2Fprofile&reason=expired",
    );
  });
});

Deno.test("[auth session] sign out here — only this device's session ends", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "here");
    const [a, b] = [new Client(stack.appUrl), new Client(stack.appUrl)];
    await signIn(a, account);
    await signIn(b, account);
    const out = await a.post("/auth/signout", { scope: "local" });
    assertEquals(out.headers.get("location"), "/signin?notice=signed_out");
    assertEquals((await a.get("/profile")).status, 303);
    writeSession(b, { ...readSession(b), expires_at: 1 });
    const still = await b.get("/profile");
    assertEquals(still.status, 200, "the other device refreshes fine");
    await still.body?.cancel();
  });
});

Deno.test("[auth session] API — a Bearer access token is verified for /api/*; a bad one gets 401 JSON", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "bearer");
    const client = new Client(stack.appUrl);
    await signIn(client, account);
    const token = readSession(client).access_token;
    const api = new Hono<AppEnv>().use(session)
      .get("/api/v1/whoami", requireUser, (c) => c.json({ sub: c.var.claims!.sub, role: c.var.viewer!.role }))
      .get("/whoami", requireUser, (c) => c.json({ sub: c.var.claims!.sub }));
    api.onError(onError);
    const ok = await api.request("/api/v1/whoami", { headers: { authorization: `Bearer ${token}` } });
    assertEquals(await ok.json(), { sub: account.id, role: "user" });
    const bad = await api.request("/api/v1/whoami", {
      headers: { authorization: `Bearer ${token.slice(0, -4)}abcd` },
    });
    assertEquals(bad.status, 401);
    assertEquals((await bad.json()).error.code, "unauthorized");
    const notApi = await api.request("/whoami", {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    });
    assertEquals(notApi.status, 401, "Bearer tokens count only on /api/*");
    await notApi.body?.cancel();
  });
});
