/** The Auth emulator's OAuth: /authorize → emulated GitHub/Google consent page → /callback → code exchange. */
import { createClient } from "@supabase/supabase-js";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { serveAuthEmulator } from "../../local/auth/testing.ts";

const CALLBACK = "http://127.0.0.1:8000/auth/callback";
const emu = await serveAuthEmulator();
addEventListener("unload", () => void emu.stop());

let ipCounter = 0;
function client(flowType: "implicit" | "pkce" = "pkce") {
  return createClient(emu.url, emu.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType },
    global: { headers: { "x-forwarded-for": `10.4.0.${++ipCounter}` } },
  });
}
const newEmail = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;

async function redirected(url: string | URL, init: RequestInit = {}): Promise<URL> {
  const res = await fetch(url, { ...init, redirect: "manual" });
  assert([302, 303].includes(res.status), `expected a redirect, got ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

/** Plays the browser: /authorize, the consent page, its form, then /callback; returns the final location. */
async function consent(authorizeUrl: string, email: string, decision = "allow"): Promise<URL> {
  const page = await redirected(authorizeUrl);
  assertMatch(page.pathname, /^\/auth\/v1\/_emulator\/oauth\/(github|google)\/authorize$/);
  const html = await (await fetch(page)).text();
  assertStringIncludes(html, "Continue as");
  assertStringIncludes(html, 'name="email"');
  const form = new URLSearchParams({
    state: page.searchParams.get("state")!,
    redirect_uri: page.searchParams.get("redirect_uri")!,
    email,
    name: "Test Person",
    decision,
  });
  const callback = await redirected(page, { method: "POST", body: form });
  assertEquals(callback.pathname, "/auth/v1/callback");
  return await redirected(callback);
}

Deno.test("[auth emulator] oauth — GitHub via PKCE creates a confirmed user with a github identity", async () => {
  const email = newEmail("octo");
  const sb = client();
  const { data, error } = await sb.auth.signInWithOAuth({
    provider: "github",
    options: { redirectTo: CALLBACK, skipBrowserRedirect: true },
  });
  assertEquals(error, null);
  const landing = await consent(data.url!, email);
  assertEquals(landing.origin + landing.pathname, CALLBACK);
  const exchanged = await sb.auth.exchangeCodeForSession(landing.searchParams.get("code")!);
  assertEquals(exchanged.error, null);
  const session = exchanged.data.session!;
  assert(session.provider_token?.startsWith("gho_"), "the provider's access token is passed on");
  const user = session.user;
  assertEquals(user.email, email);
  assert(user.email_confirmed_at, "a verified provider email confirms the user");
  assertEquals(user.app_metadata.providers, ["github"]);
  assertEquals(user.identities?.[0].provider, "github");
  assertEquals(user.identities?.[0].identity_data?.iss, "https://api.github.com");
  assertEquals(user.user_metadata.full_name, "Test Person");

  const again = client();
  const twice = await again.auth.signInWithOAuth({
    provider: "github",
    options: { skipBrowserRedirect: true },
  });
  const secondLanding = await consent(twice.data.url!, email);
  const second = await again.auth.exchangeCodeForSession(secondLanding.searchParams.get("code")!);
  assertEquals(second.data.user?.id, user.id, "signing in again finds the same identity");
  assertEquals(second.data.user?.identities?.length, 1);
});

Deno.test("[auth emulator] oauth — Google with an existing email links a second identity", async () => {
  const email = newEmail("linked");
  const admin = createClient(emu.url, emu.keys.secretKey, { auth: { persistSession: false } });
  const created = await admin.auth.admin.createUser({
    email,
    password: "Correct-Horse-9",
    email_confirm: true,
  });
  const sb = client();
  const { data } = await sb.auth.signInWithOAuth({
    provider: "google",
    options: { redirectTo: CALLBACK, skipBrowserRedirect: true },
  });
  const landing = await consent(data.url!, email);
  const { data: exchanged } = await sb.auth.exchangeCodeForSession(landing.searchParams.get("code")!);
  assertEquals(exchanged.user?.id, created.data.user?.id);
  assertEquals(exchanged.user?.app_metadata.providers, ["email", "google"]);
  assertEquals(exchanged.user?.identities?.map((i) => i.provider), ["email", "google"]);
});

Deno.test("[auth emulator] oauth — the implicit flow lands with tokens in the fragment", async () => {
  const email = newEmail("implicit");
  const { data } = await client("implicit").auth.signInWithOAuth({
    provider: "github",
    options: { redirectTo: CALLBACK, skipBrowserRedirect: true },
  });
  const landing = await consent(data.url!, email);
  const fragment = new URLSearchParams(landing.hash.slice(1));
  assert(fragment.get("access_token"), "an access token");
  assert(fragment.get("provider_token")?.startsWith("gho_"));
  const user = await client().auth.getUser(fragment.get("access_token")!);
  assertEquals(user.data.user?.email, email);
});

Deno.test("[auth emulator] oauth — cancel, unknown providers and stale state are reported as GoTrue does", async () => {
  const { data } = await client().auth.signInWithOAuth({
    provider: "github",
    options: { redirectTo: CALLBACK, skipBrowserRedirect: true },
  });
  const denied = await consent(data.url!, newEmail("deny"), "deny");
  assertEquals(denied.origin + denied.pathname, CALLBACK);
  assertEquals(denied.searchParams.get("error"), "access_denied");
  assertEquals(new URLSearchParams(denied.hash.slice(1)).get("error"), "access_denied");

  const unknown = await fetch(`${emu.authUrl}/authorize?provider=myspace`);
  assertEquals([unknown.status, (await unknown.json()).error_code], [400, "validation_failed"]);

  const stale = await redirected(`${emu.authUrl}/callback?state=${crypto.randomUUID()}&code=x`);
  assertEquals(stale.origin, "http://127.0.0.1:8000");
  assertEquals(stale.searchParams.get("error_code"), "bad_oauth_state");
});
