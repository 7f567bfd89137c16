/**
 * One language setting, end to end: the header switch and the profile form also change the Auth user's
 * `user_metadata.locale` (Auth emails follow it); a browser with no language cookie takes the profile's
 * language at sign-in, while a cookie the person chose wins.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { Client, createAccount, signIn, withStack } from "./auth_http_client.ts";

async function authLocale(id: string): Promise<string | null> {
  const { rows } = await sql<{ locale: string | null }>`
    select raw_user_meta_data ->> 'locale' as locale from auth.users where id = ${id}`.execute(db());
  return rows[0].locale;
}

Deno.test("[language] the header switch and the profile form update the Auth user's metadata locale", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "metalang");
    const client = new Client(stack.appUrl, { "accept-language": "fa" });
    await signIn(client, account, "/wallet");
    assertEquals(await authLocale(account.id), null);
    const switched = await client.post("/locale", { locale: "en", return_to: "/wallet" });
    assertEquals(switched.status, 303);
    assertEquals(await authLocale(account.id), "en");
    const back = await client.post("/profile", { full_name: "Meta Lang", phone: "", locale: "fa" });
    assertEquals(back.status, 303);
    assertEquals(await authLocale(account.id), "fa");
    // The rest of the metadata stays (Auth merges it).
    const { rows } = await sql<{ name: string }>`
      select raw_user_meta_data ->> 'full_name' as name from auth.users where id = ${account.id}`.execute(
      db(),
    );
    assertEquals(rows[0].name, "metalang");
    // The session still works after Auth rewrote it.
    assertEquals((await client.get("/profile")).status, 200);
  });
});

Deno.test("[language] sign-in on a new device takes the profile's language; an explicit cookie wins", async () => {
  await withStack(async (stack) => {
    const account = await createAccount(stack, "newdevice");
    const first = new Client(stack.appUrl, { "accept-language": "fa" });
    await signIn(first, account, "/wallet");
    assertEquals((await first.post("/locale", { locale: "en", return_to: "/wallet" })).status, 303);

    // A new browser that asks for Persian but has chosen nothing: the profile's English applies.
    const fresh = new Client(stack.appUrl, { "accept-language": "fa" });
    await signIn(fresh, account, "/wallet");
    const page = await fresh.get("/wallet");
    assertEquals(page.status, 200);
    assertStringIncludes(await page.text(), '<html lang="en"');
    assertEquals(fresh.cookies.get("locale"), "en");

    // A browser whose person picked Persian before signing in keeps Persian.
    const chosen = new Client(stack.appUrl, { "accept-language": "en" });
    assertEquals((await chosen.post("/locale", { locale: "fa", return_to: "/" })).status, 303);
    await signIn(chosen, account, "/wallet");
    const kept = await chosen.get("/wallet");
    assertStringIncludes(await kept.text(), '<html lang="fa"');
    assertEquals(chosen.cookies.get("locale"), "fa");

    // An account that never gave a language (made by the Auth admin API: the profile holds only the column's
    // default) is no choice to apply: the browser's Accept-Language still decides.
    const silent = await createAccount(stack, "nochoice");
    const english = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(english, silent, "/wallet");
    assertStringIncludes(await (await english.get("/wallet")).text(), '<html lang="en"');
    assertEquals(english.cookies.get("locale"), undefined);
  });
});
