import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { asService } from "../../lib/db/client.ts";
import { fund, key, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { balanceOf, withPayments } from "../_support/payments.ts";
import { Client, signIn } from "./auth_http_client.ts";
import { api, caller, withApiStack } from "./wallet_api_client.ts";
import type { Stack } from "../../local/stack.ts";

/** An admin signed in through the app's form (cookies), for the /admin/api-keys pages. */
async function adminClient(stack: Stack) {
  const admin = await caller(stack, "keys-admin", "admin");
  const client = new Client(stack.appUrl, { "accept-language": "en" });
  await signIn(client, admin);
  return { admin, client };
}

const keyIn = (html: string) => /pk_live_[0-9a-f]{64}/.exec(html)?.[0];

async function auditFor(id: string) {
  const { rows } = await sql<{ action: string; actor_id: string }>`
    select action, actor_id::text from public.audit_log where target_type = 'api_key' and target_id = ${id}
    order by id`.execute(db());
  return rows;
}

Deno.test("[api keys] admin pages — create shows the key once, rotate replaces it, revoke ends it; all audited", async () => {
  await withApiStack(async (stack) => {
    const { admin, client } = await adminClient(stack);
    const created = await client.post("/admin/api-keys", {
      name: "SMS gateway",
      account: "revenue",
      "scope.charges.create": "on",
    });
    assertEquals(created.status, 200);
    assertEquals(created.headers.get("cache-control"), "no-store");
    const html = await created.text();
    const first = keyIn(html);
    assert(first, "the new key is on the page");
    const id = /data-new-api-key="(\d+)"/.exec(html)![1];
    const { rows: [stored] } = await sql<{ hash: string; prefix: string; scopes: string[] }>`
      select encode(key_hash, 'hex') as hash, prefix, scopes from public.api_keys where id = ${id}`.execute(
      db(),
    );
    assertEquals(stored.prefix, first.slice(0, 12));
    assertEquals(stored.scopes, ["charges.create"]);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(first)));
    assertEquals(stored.hash, [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""));

    const list = await (await client.get("/admin/api-keys")).text();
    assertStringIncludes(list, `${first.slice(0, 12)}…`);
    assertEquals(keyIn(list), undefined, "the list never shows a key again");

    const rotated = await client.post(`/admin/api-keys/${id}/rotate`, {});
    assertEquals(rotated.status, 200);
    const rotatedHtml = await rotated.text();
    const second = keyIn(rotatedHtml);
    assert(second && second !== first);
    const newId = /data-new-api-key="(\d+)"/.exec(rotatedHtml)![1];

    const body = { user_id: admin.id, amount: 1, description: "probe" };
    const old = await api(stack, "POST", "/api/v1/charges", {
      as: `Bearer ${first}`,
      key: key(),
      json: body,
    });
    assertEquals([old.status, old.body.error.code], [401, "api_key_invalid"]);

    const revoked = await client.post(`/admin/api-keys/${newId}/revoke`, {});
    assertEquals(revoked.status, 303);
    assertEquals(revoked.headers.get("location"), `/admin/api-keys?revoked=${second.slice(0, 12)}`);
    const again = await client.post(`/admin/api-keys/${newId}/revoke`, {});
    assertEquals(again.status, 409);

    assertEquals((await auditFor(id)).map((r) => [r.action, r.actor_id]), [
      ["api_keys.create", admin.id],
      ["api_keys.rotate", admin.id],
    ]);
    assertEquals((await auditFor(newId)).map((r) => r.action), ["api_keys.revoke"]);

    const finance = await caller(stack, "keys-finance", "finance");
    const financeClient = new Client(stack.appUrl, { "accept-language": "en" });
    await signIn(financeClient, finance);
    assertEquals((await financeClient.get("/admin/api-keys")).status, 403);
    assertEquals(
      (await financeClient.post("/admin/api-keys", { name: "mine", account: "revenue" })).status,
      403,
    );
  });
});

/** A key made as the server would (the admin page calls the same SQL as a staff member). */
async function makeKey(name: string, scopes: string[] = ["charges.create"]) {
  return await asService(async (tx) => {
    const { rows: [row] } = await sql<{ id: string; api_key: string }>`
      select id::text, api_key from public.create_api_key(${name}, 'revenue', ${scopes}::text[])`.execute(tx);
    return row;
  });
}

Deno.test("[api keys] charges — a key charges; revoked, unscoped, secret and user tokens are refused; keys have their own idempotency namespace", async () => {
  await withApiStack(async (stack) => {
    const user = await caller(stack, "charged");
    await fund(user.id, 100_000n);
    const a = await makeKey("service A");
    const b = await makeKey("service B");
    const unscoped = await makeKey("no scopes", []);
    const body = { user_id: user.id, amount: 1_000, description: "SMS bundle" };
    const charge = (as: string, k: string, json: Record<string, unknown> = body) =>
      api(stack, "POST", "/api/v1/charges", { as, key: k, json });

    const k = key("charge");
    const first = await charge(`Bearer ${a.api_key}`, k);
    assertEquals(first.status, 201, JSON.stringify(first.body));
    const replay = await charge(`Bearer ${a.api_key}`, k);
    assertEquals([replay.status, replay.body.transaction_id], [200, first.body.transaction_id]);
    assertEquals((await charge(`Bearer ${a.api_key}`, k, { ...body, amount: 1_001 })).status, 409);
    // Another key's idempotency key is not ours: the same key from B is a new charge, not a replay or a 409.
    const fromB = await charge(`Bearer ${b.api_key}`, k, { ...body, amount: 2_000 });
    assertEquals(fromB.status, 201);
    assert(fromB.body.transaction_id !== first.body.transaction_id);

    const { rows: [used] } = await sql<{ last_used_at: Date | null }>`
      select last_used_at from public.api_keys where id = ${a.id}`.execute(db());
    assert(used.last_used_at, "last use is recorded");

    const wrongScope = await charge(`Bearer ${unscoped.api_key}`, key());
    assertEquals([wrongScope.status, wrongScope.body.error.code], [403, "api_key_scope"]);
    await asService((tx) => sql`select public.revoke_api_key(${b.id}::bigint)`.execute(tx));
    const revoked = await charge(`Bearer ${b.api_key}`, key());
    assertEquals([revoked.status, revoked.body.error.code], [401, "api_key_invalid"]);
    const secret = await charge(`Bearer ${stack.keys.secretKey}`, key());
    assertEquals(
      [secret.status, secret.body.error.code],
      [401, "api_key_invalid"],
      "the secret key is refused",
    );
    const apikeyHeader = await api(stack, "POST", "/api/v1/charges", {
      key: key(),
      json: body,
      headers: { apikey: stack.keys.secretKey },
    });
    assertEquals([apikeyHeader.status, apikeyHeader.body.error.code], [401, "api_key_required"]);
    const asUser = await api(stack, "POST", "/api/v1/charges", { as: user, key: key(), json: body });
    assertEquals([asUser.status, asUser.body.error.code], [401, "api_key_invalid"]);
    const unknown = await charge(`Bearer pk_live_${"0".repeat(64)}`, key());
    assertEquals([unknown.status, unknown.body.error.code], [401, "api_key_invalid"]);
    assertEquals((await charge(`Bearer ${a.api_key}`, key(), { ...body, amount: 10_000_000 })).status, 422);
    assertEquals(
      (await charge(`Bearer ${a.api_key}`, key(), { ...body, user_id: crypto.randomUUID() })).status,
      404,
    );
    assertEquals(
      (await api(stack, "POST", "/api/v1/charges", { as: `Bearer ${a.api_key}`, json: body })).status,
      400,
    );
    assertEquals((await walletOf(user.id)).balance, 97_000n);
  });
});

Deno.test("[api keys] charges — a client's Idempotency-Key payment:<id> cannot block that payment's settlement", async () => {
  await withApiStack(async (stack) => {
    const payer = await caller(stack, "payer");
    await fund(payer.id, 50_000n);
    const a = await makeKey("collider");
    const { rows: [p] } = await sql<{ id: string }>`
      insert into public.payments (user_id, amount, description, merchant_key, expires_at)
      values (${payer.id}, 20000, 'top-up', '0123456789abcdef', now() + interval '30 minutes')
      returning id::text`.execute(db());
    const res = await api(stack, "POST", "/api/v1/charges", {
      as: `Bearer ${a.api_key}`,
      key: `payment:${p.id}`,
      json: { user_id: payer.id, amount: 1_000, description: "collision attempt" },
    });
    assertEquals(res.status, 201, JSON.stringify(res.body));
    const { rows: [settled] } = await asService((tx) =>
      sql<{ outcome: string }>`select outcome from payments.settle(${p.id}::bigint, 20000)`.execute(tx)
    );
    assertEquals(settled.outcome, "settled");
    const { rows: [after] } = await sql<{ status: string; needs_review: boolean }>`
      select status::text, needs_review from public.payments where id = ${p.id}`.execute(db());
    assertEquals([after.status, after.needs_review], ["verified", false]);
    assertEquals((await walletOf(payer.id)).balance, 69_000n);
    assertMatch(String(res.body.transaction_id), /^\d+$/);
    await assertLedgerInvariants();
  });
});

Deno.test("[api keys] settlement — a ledger credit refused for good flags the paid payment with the reason, shown to finance", async () => {
  await withApiStack(async (stack) => {
    const { client } = await adminClient(stack);
    await withPayments(async (h) => {
      const user = await h.user();
      const { paymentId, redirectUrl } = await h.start(user, 40_000n);
      // What a secret-key charge keyed payment:<id> used to leave behind: another posting under the internal key.
      await asService((tx) =>
        sql`select ledger.post_credit(${user.id}::uuid, 1, 'credit', ${`payment:${paymentId}`}, '{}')`
          .execute(tx)
      );
      const res = await h.callback(await h.press(redirectUrl, "pay"));
      assertEquals(res.status, 303);
      const payment = await h.payment(paymentId);
      assertEquals([payment.status, payment.needsReview], ["pending", true]);
      assertMatch(payment.reviewReason ?? "", /settlement failed.*idempotency_conflict/);
      assertEquals(
        await balanceOf(user.id),
        1n,
        "the top-up is not credited (only the planted posting is there)",
      );
      const page = await (await client.get(`/admin/payments/${paymentId}`)).text();
      assertStringIncludes(page, "settlement failed");
    });
  });
});
