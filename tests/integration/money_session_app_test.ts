/**
 * Money routes for users: every one checks that Auth still knows the session (a revoked token's signature stays
 * valid until it expires), and withdrawals and large transfers need the password again (a signed proof,
 * bound to the user and the session, kept a few minutes).
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import type { Stack } from "../../local/stack.ts";
import { db } from "../_support/db.ts";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import { Client, signIn } from "./auth_http_client.ts";
import { api, type Caller, caller, reauthToken, withApiStack } from "./wallet_api_client.ts";

async function browser(stack: Stack, who: Caller): Promise<Client> {
  const client = new Client(stack.appUrl);
  await signIn(client, who);
  client.cookies.set("locale", "en");
  return client;
}

const hidden = (html: string, name: string) =>
  new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";

async function reauthAudits(userId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from public.audit_log
    where action = 'auth.sign_in_failed' and target_id = ${userId}
      and metadata->>'purpose' = 'reauthentication'`.execute(db());
  return rows[0].n;
}

Deno.test("[money session] user money routes", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "Sara");
    const reza = await caller(stack, "Reza");
    await fund(sara.id, 3_000_000_000n);

    await t.step("withdrawal form — asks for the password; none or a wrong one holds nothing", async () => {
      const client = await browser(stack, sara);
      const page = await (await client.get("/wallet/withdrawals")).text();
      assertStringIncludes(page, "Confirm it's you");
      assertMatch(page, /<input id="withdraw-reauth" name="current_password" type="password"/);
      const key = hidden(page, "key");
      const iban = randomIban();
      const none = await client.post("/wallet/withdrawals", { tomans: "10000", iban, key });
      assertEquals(none.status, 400);
      assertStringIncludes(await none.text(), "Enter your password to confirm.");
      const wrong = await client.post("/wallet/withdrawals", {
        tomans: "10000",
        iban,
        key,
        current_password: "Not-the-password-1",
      });
      assertEquals(wrong.status, 400);
      assertStringIncludes(await wrong.text(), "The password is not correct.");
      assertEquals(client.cookies.get("pk_reauth"), undefined);
      assertEquals((await walletOf(sara.id)).held, 0n);
      assertEquals(await reauthAudits(sara.id), 1);
      const ok = await client.post("/wallet/withdrawals", {
        tomans: "10000",
        iban,
        key,
        current_password: sara.password,
      });
      assertEquals(ok.status, 303);
      assertMatch(ok.headers.get("location")!, /^\/wallet\/withdrawals\?notice=requested&id=\d+$/);
      const cookie = ok.headers.getSetCookie().find((line) => line.startsWith("pk_reauth="));
      assert(cookie, "the proof is kept in a cookie");
      assertMatch(cookie, /HttpOnly/i);
      assertMatch(cookie, /SameSite=Strict/i);
      assertMatch(cookie, /Max-Age=300/);
      assertEquals((await walletOf(sara.id)).held, 100_000n);
      // Within the window the next request needs no password, and the form does not ask.
      const again = await client.post("/wallet/withdrawals", {
        tomans: "10000",
        iban,
        key: crypto.randomUUID(),
      });
      assertEquals(again.status, 303);
      assert(!(await (await client.get("/wallet/withdrawals")).text()).includes("current_password"));
    });

    await t.step(
      "the proof — bound to its session; a tampered or borrowed one counts for nothing",
      async () => {
        const first = await browser(stack, sara);
        const page = await (await first.get("/wallet/withdrawals")).text();
        const ok = await first.post("/wallet/withdrawals", {
          tomans: "10000",
          iban: randomIban(),
          key: hidden(page, "key"),
          current_password: sara.password,
        });
        assertEquals(ok.status, 303);
        const proof = first.cookies.get("pk_reauth")!;
        const held = (await walletOf(sara.id)).held;
        // The same user in another browser (another Auth session) cannot reuse it.
        const second = await browser(stack, sara);
        second.cookies.set("pk_reauth", proof);
        const borrowed = await second.post("/wallet/withdrawals", {
          tomans: "10000",
          iban: randomIban(),
          key: crypto.randomUUID(),
        });
        assertEquals(borrowed.status, 400);
        // Nor can anyone change what it says.
        const [payload, signature] = proof.split(".");
        const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
        const forged = btoa(JSON.stringify({ ...claims, t: claims.t + 3600 })).replace(/=+$/, "");
        first.cookies.set("pk_reauth", `${forged}.${signature}`);
        const tampered = await first.post("/wallet/withdrawals", {
          tomans: "10000",
          iban: randomIban(),
          key: crypto.randomUUID(),
        });
        assertEquals(tampered.status, 400);
        assertEquals((await walletOf(sara.id)).held, held);
      },
    );

    await t.step("transfers — small ones as before; large ones ask on the confirm step", async () => {
      const client = await browser(stack, sara);
      const small = await client.post("/wallet/transfer", {
        recipient: reza.email,
        tomans: "10000",
        key: crypto.randomUUID(),
      });
      assertEquals(small.status, 200);
      assert(!(await small.text()).includes("current_password"), "no password for a small transfer");
      const key = crypto.randomUUID();
      const large = { recipient: reza.email, tomans: "10000000", key }; // 100,000,000 rials: the threshold
      const preview = await client.post("/wallet/transfer", large);
      assertEquals(preview.status, 200);
      const html = await preview.text();
      assertMatch(html, /<form method="post" action="\/wallet\/transfer\/confirm">/);
      assertMatch(html, /<input id="transfer-reauth" name="current_password" type="password"/);
      const before = (await walletOf(reza.id)).balance;
      const none = await client.post("/wallet/transfer/confirm", large);
      assertEquals(none.status, 400);
      const again = await none.text();
      assertStringIncludes(again, "Enter your password to confirm.");
      assertStringIncludes(
        again,
        'action="/wallet/transfer/confirm"',
        "the confirm step again, not the form",
      );
      assertEquals((await walletOf(reza.id)).balance, before);
      const ok = await client.post("/wallet/transfer/confirm", { ...large, current_password: sara.password });
      assertEquals(ok.status, 303);
      assertMatch(ok.headers.get("location")!, /^\/wallet\?notice=transferred&tx=\d+$/);
      assertEquals((await walletOf(reza.id)).balance, before + 100_000_000n);
    });

    await t.step(
      "API — withdrawals need X-Reauthentication; large transfers too; small ones do not",
      async () => {
        const noProof = await api(stack, "POST", "/api/v1/withdrawals", {
          as: sara,
          key: crypto.randomUUID(),
          json: { amount: 100_000, iban: randomIban() },
        });
        assertEquals([noProof.status, noProof.body.error.code], [403, "reauthentication_required"]);
        const wrong = await api(stack, "POST", "/api/v1/auth/reauthenticate", {
          as: sara,
          json: { password: "Not-the-password-1" },
        });
        assertEquals([wrong.status, wrong.body.error.code], [400, "invalid_credentials"]);
        const token = await reauthToken(stack, sara);
        // A token made for another session (Reza's) is not Sara's.
        const rezaToken = await reauthToken(stack, reza);
        const foreign = await api(stack, "POST", "/api/v1/withdrawals", {
          as: sara,
          key: crypto.randomUUID(),
          json: { amount: 100_000, iban: randomIban() },
          headers: { "x-reauthentication": rezaToken },
        });
        assertEquals(foreign.status, 403);
        const ok = await api(stack, "POST", "/api/v1/withdrawals", {
          as: sara,
          key: crypto.randomUUID(),
          json: { amount: 100_000, iban: randomIban() },
          headers: { "x-reauthentication": token },
        });
        assertEquals(ok.status, 201, JSON.stringify(ok.body));
        const largeNoProof = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: sara,
          key: crypto.randomUUID(),
          json: { to: reza.email, amount: 100_000_000 },
        });
        assertEquals([largeNoProof.status, largeNoProof.body.error.code], [403, "reauthentication_required"]);
        const largeOk = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: sara,
          key: crypto.randomUUID(),
          json: { to: reza.email, amount: 100_000_000 },
          headers: { "x-reauthentication": token },
        });
        assertEquals(largeOk.status, 201);
        const small = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: sara,
          key: crypto.randomUUID(),
          json: { to: reza.email, amount: 99_999_990 },
        });
        assertEquals(small.status, 201);
      },
    );

    await t.step("a session ended elsewhere — every money route refuses at once, nothing moves", async () => {
      const mina = await caller(stack, "Mina");
      await fund(mina.id, 1_000_000n);
      const asked = await api(stack, "POST", "/api/v1/withdrawals", {
        as: mina,
        key: crypto.randomUUID(),
        json: { amount: 100_000, iban: randomIban() },
        headers: { "x-reauthentication": await reauthToken(stack, mina) },
      });
      const pending = asked.body.id;
      const phone = await browser(stack, mina);
      const laptop = await browser(stack, mina);
      const bearer = await caller(stack, "Bearer");
      await fund(bearer.id, 1_000_000n);
      const out = await laptop.post("/auth/signout", { scope: "global" });
      assertEquals(out.status, 303);
      const before = await walletOf(mina.id);
      const attempts: [string, Record<string, string>][] = [
        ["/wallet/transfer/confirm", { recipient: reza.email, tomans: "10", key: crypto.randomUUID() }],
        ["/wallet/withdrawals", { tomans: "10000", iban: randomIban(), key: crypto.randomUUID() }],
        [`/wallet/withdrawals/${pending}/cancel`, {}],
        ["/wallet/topup", { tomans: "50000" }],
      ];
      // Each attempt with the phone's stale cookies (a refusal also clears them in that browser).
      const stale = new Map(phone.cookies);
      for (const [path, fields] of attempts) {
        phone.cookies.clear();
        for (const [name, value] of stale) phone.cookies.set(name, value);
        const res = await phone.post(path, fields);
        assertEquals(res.status, 303, path);
        assertMatch(res.headers.get("location") ?? "", /^\/signin\?.*reason=expired/, path);
        await res.body?.cancel();
      }
      const after = await walletOf(mina.id);
      assertEquals([after.balance, after.held], [before.balance, before.held]);
      // API callers: a Bearer token whose session was revoked is refused on money routes.
      const revoke = await fetch(`${stack.gatewayUrl}/auth/v1/logout?scope=global`, {
        method: "POST",
        headers: { apikey: stack.keys.publishableKey, authorization: `Bearer ${bearer.token}` },
      });
      assertEquals(revoke.status, 204);
      const res = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: bearer,
        key: crypto.randomUUID(),
        json: { to: reza.email, amount: 10 },
      });
      assertEquals([res.status, res.body.error.code], [401, "session_ended"]);
      assertEquals((await walletOf(bearer.id)).balance, 1_000_000n);
    });
  });
});
