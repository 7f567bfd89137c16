import { assert, assertEquals } from "@std/assert";
import { authClientsBuilt, sessionCookieName } from "../../lib/auth/supabase.ts";
import { Client, createAccount, signIn, withStack } from "./auth_http_client.ts";

/** The session cookie's parts as the browser holds them (whole, or chunks .0, .1, …). */
function sessionCookies(client: Client): [string, string][] {
  const name = sessionCookieName();
  return [...client.cookies].filter(([key]) => key === name || /^.+\.\d+$/.test(key) && key.startsWith(name));
}

/** A signed-in client (English pages) and the session cookie's name and value as it was set. */
async function signedIn(stack: Parameters<Parameters<typeof withStack>[0]>[0], name: string) {
  const account = await createAccount(stack, name);
  const client = new Client(stack.appUrl, { "accept-language": "en" });
  await signIn(client, account);
  return { account, client, cookie: sessionCookies(client)[0] };
}

Deno.test("[session cookie] signed-in pages read the session from the cookie without building a Supabase client", async () => {
  await withStack(async (stack) => {
    const { account, client } = await signedIn(stack, "cookie-reader");
    const before = authClientsBuilt();
    for (const path of ["/profile", "/wallet", "/wallet/transfer"]) {
      const res = await client.get(path);
      assertEquals(res.status, 200, path);
      assert((await res.text()).includes(account.email), `${path} shows who is signed in`);
    }
    assertEquals(authClientsBuilt() - before, 0, "no Supabase client built for a fresh session cookie");
  });
});

Deno.test("[session cookie] a chunked session cookie is read the same way", async () => {
  await withStack(async (stack) => {
    const { account, client, cookie: [name, value] } = await signedIn(stack, "cookie-chunks");
    client.cookies.delete(name);
    const third = Math.ceil(value.length / 3);
    for (let i = 0; i < 3; i++) client.cookies.set(`${name}.${i}`, value.slice(i * third, (i + 1) * third));
    const before = authClientsBuilt();
    const res = await client.get("/profile");
    assertEquals(res.status, 200);
    assert((await res.text()).includes(account.email));
    assertEquals(authClientsBuilt() - before, 0);
  });
});

Deno.test("[session cookie] a forged token in the cookie ends the session (the client's way: cookies cleared)", async () => {
  await withStack(async (stack) => {
    const { client, cookie: [name, value] } = await signedIn(stack, "cookie-forged");
    const stored = JSON.parse(atob(value.slice("base64-".length).replace(/-/g, "+").replace(/_/g, "/")));
    const [header, payload] = (stored.access_token as string).split(".");
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = btoa(JSON.stringify({ ...claims, user_role: "admin" })).replace(/=+$/, "")
      .replace(/\+/g, "-").replace(/\//g, "_");
    stored.access_token = `${header}.${forged}.${stored.access_token.split(".")[2]}`;
    client.cookies.set(
      name,
      `base64-${btoa(JSON.stringify(stored)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}`,
    );
    const res = await client.get("/profile");
    await res.body?.cancel();
    assertEquals(res.status, 303);
    assertEquals(res.headers.get("location"), "/signin?next=%2Fprofile&reason=expired");
    assertEquals(sessionCookies(client), [], "session cookies cleared");
  });
});
