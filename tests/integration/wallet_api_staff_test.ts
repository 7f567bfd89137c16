import { assert, assertEquals, assertMatch } from "@std/assert";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { asService } from "../../lib/db/client.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { fund, key, randomIban, walletOf } from "../_support/ledger.ts";
import { api, caller, reauthToken, withApiStack } from "./wallet_api_client.ts";

async function auditRows(action: string, targetId: string) {
  const { rows } = await sql<{ actor_id: string; metadata: Record<string, unknown> }>`
    select actor_id::text, metadata from public.audit_log where action = ${action} and target_id = ${targetId}
    order by id`.execute(db());
  return rows;
}

Deno.test("[wallet api] service and staff routes", async (t) => {
  await withApiStack(async (stack) => {
    const user = await caller(stack, "customer");
    const finance = await caller(stack, "finance", "finance");
    const agent = await caller(stack, "agent", "agent");
    await fund(user.id, 500_000n);
    const { rows: [made] } = await asService((tx) =>
      sql<{ api_key: string }>`select api_key from public.create_api_key('staff test', 'revenue')`.execute(tx)
    );
    const secret = `Bearer ${made.api_key}`;

    await t.step(
      "charges — an API key charges; replay 200; users, the secret key and strangers refused",
      async () => {
        const k = key("charge");
        const body = { user_id: user.id, amount: 10_000, description: "SMS bundle" };
        const first = await api(stack, "POST", "/api/v1/charges", { as: secret, key: k, json: body });
        assertEquals(first.status, 201, JSON.stringify(first.body));
        const again = await api(stack, "POST", "/api/v1/charges", { as: secret, key: k, json: body });
        assertEquals([again.status, again.body.transaction_id], [200, first.body.transaction_id]);
        const conflict = await api(stack, "POST", "/api/v1/charges", {
          as: secret,
          key: k,
          json: { ...body, amount: 10_001 },
        });
        assertEquals(conflict.status, 409);
        const asUserToken = await api(stack, "POST", "/api/v1/charges", { as: user, key: key(), json: body });
        assertEquals([asUserToken.status, asUserToken.body.error.code], [401, "api_key_invalid"]);
        const asPublishable = await api(stack, "POST", "/api/v1/charges", {
          key: key(),
          json: body,
          headers: { apikey: stack.keys.publishableKey },
        });
        assertEquals(asPublishable.status, 401);
        const none = await api(stack, "POST", "/api/v1/charges", { key: key(), json: body });
        assertEquals(none.status, 401);
        const tooMuch = await api(stack, "POST", "/api/v1/charges", {
          as: secret,
          key: key(),
          json: { ...body, amount: 100_000_000 },
        });
        assertEquals([tooMuch.status, tooMuch.body.error.code], [422, "insufficient_funds"]);
        const noUser = await api(stack, "POST", "/api/v1/charges", {
          as: secret,
          key: key(),
          json: { ...body, user_id: crypto.randomUUID() },
        });
        assertEquals(noUser.status, 404);
        for (
          const bad of [{ ...body, amount: 0.5 }, { ...body, user_id: "me" }, { ...body, description: "" }]
        ) {
          const res = await api(stack, "POST", "/api/v1/charges", { as: secret, key: key(), json: bad });
          assertEquals(res.status, 400, JSON.stringify(bad));
        }
        const noKey = await api(stack, "POST", "/api/v1/charges", { as: secret, json: body });
        assertEquals(noKey.status, 400);
        assertEquals((await walletOf(user.id)).balance, 490_000n);
      },
    );

    await t.step(
      "adjustments — 403 without wallet.adjust; finance posts, replays and is audited once",
      async () => {
        const path = `/api/v1/admin/wallets/${user.id}/adjustments`;
        const body = { amount: -5_000, reason: "Duplicate top-up" };
        const anonymous = await api(stack, "POST", path, { key: key(), json: body });
        assertEquals(anonymous.status, 401);
        for (const who of [user, agent]) {
          const res = await api(stack, "POST", path, { as: who, key: key(), json: body, locale: "fa" });
          assertEquals(res.status, 403);
          assertMatch(res.body.error.message, /اجازه/);
        }
        const k = key("adj");
        const first = await api(stack, "POST", path, { as: finance, key: k, json: body });
        assertEquals(first.status, 201, JSON.stringify(first.body));
        const again = await api(stack, "POST", path, { as: finance, key: k, json: body });
        assertEquals([again.status, again.body.transaction_id], [200, first.body.transaction_id]);
        const entries = await auditRows("wallet.adjust", user.id);
        assertEquals(entries.length, 1);
        assertEquals(entries[0].actor_id, finance.id);
        assertEquals(entries[0].metadata.reason, "Duplicate top-up");
        assertEquals(entries[0].metadata.amount, "-5000");
        for (
          const bad of [{ amount: 0, reason: "zero" }, { amount: 10, reason: "" }, { amount: 10 }, {
            amount: 1.5,
            reason: "abc",
          }]
        ) {
          const res = await api(stack, "POST", path, { as: finance, key: key(), json: bad });
          assertEquals(res.status, 400, JSON.stringify(bad));
        }
        const overdraw = await api(stack, "POST", path, {
          as: finance,
          key: key(),
          json: { amount: -10_000_000, reason: "too much" },
        });
        assertEquals(overdraw.status, 422);
        const stranger = await api(
          stack,
          "POST",
          `/api/v1/admin/wallets/${crypto.randomUUID()}/adjustments`,
          {
            as: finance,
            key: key(),
            json: body,
          },
        );
        assertEquals(stranger.status, 404);
        assertEquals((await walletOf(user.id)).balance, 485_000n);
        assertEquals((await auditRows("wallet.adjust", user.id)).length, 1);
      },
    );

    await t.step(
      "staff wallet view — wallet.view reads any wallet; others get 403; unknown user 404",
      async () => {
        const res = await api(stack, "GET", `/api/v1/admin/wallets/${user.id}`, { as: finance });
        assertEquals(res.status, 200);
        assertEquals([res.body.user_id, res.body.balance, res.body.currency], [user.id, 485_000, "IRR"]);
        assertEquals(res.body.recent_entries[0].kind, "adjustment");
        assertEquals(res.body.recent_entries[0].description, "Duplicate top-up");
        assertEquals((await api(stack, "GET", `/api/v1/admin/wallets/${user.id}`, { as: user })).status, 403);
        assertEquals(
          (await api(stack, "GET", `/api/v1/admin/wallets/${crypto.randomUUID()}`, { as: finance })).status,
          404,
        );
        assertEquals(
          (await api(stack, "GET", `/api/v1/admin/wallets/not-a-uuid`, { as: finance })).status,
          400,
        );
      },
    );

    await t.step(
      "withdrawal decisions — approve with a bank reference, reject with a reason; both audited",
      async () => {
        const headers = { "x-reauthentication": await reauthToken(stack, user) };
        const ask = async (amount: number) => {
          const res = await api(stack, "POST", "/api/v1/withdrawals", {
            as: user,
            headers,
            key: key(),
            json: { amount, iban: randomIban() },
          });
          assertEquals(res.status, 201);
          return res.body.id as string;
        };
        const [paid, refused] = [await ask(100_000), await ask(150_000)];
        assertEquals((await walletOf(user.id)).held, 250_000n);
        const byUser = await api(stack, "POST", `/api/v1/admin/withdrawals/${paid}/approve`, {
          as: user,
          json: { bank_reference: "X" },
        });
        assertEquals(byUser.status, 403);
        const noRef = await api(stack, "POST", `/api/v1/admin/withdrawals/${paid}/approve`, {
          as: finance,
          json: {},
        });
        assertEquals(noRef.status, 400);
        const approved = await api(stack, "POST", `/api/v1/admin/withdrawals/${paid}/approve`, {
          as: finance,
          json: { bank_reference: "PAYA-123456" },
        });
        assertEquals(approved.status, 200, JSON.stringify(approved.body));
        assertEquals([approved.body.status, approved.body.bank_reference], ["approved", "PAYA-123456"]);
        const twice = await api(stack, "POST", `/api/v1/admin/withdrawals/${paid}/reject`, {
          as: finance,
          json: { reason: "changed my mind" },
        });
        assertEquals([twice.status, twice.body.error.code], [409, "withdrawal_not_pending"]);
        const rejected = await api(stack, "POST", `/api/v1/admin/withdrawals/${refused}/reject`, {
          as: finance,
          json: { reason: "IBAN holder differs" },
        });
        assertEquals([rejected.status, rejected.body.status], [200, "rejected"]);
        const missing = await api(stack, "POST", `/api/v1/admin/withdrawals/999999999/approve`, {
          as: finance,
          json: { bank_reference: "R" },
        });
        assertEquals(missing.status, 404);
        const wallet = await walletOf(user.id);
        assertEquals([wallet.balance, wallet.held], [385_000n, 0n]);
        const approvals = await auditRows("withdrawals.approve", user.id);
        assertEquals(approvals.map((r) => r.metadata.withdrawal_id), [paid]);
        const rejections = await auditRows("withdrawals.reject", user.id);
        assertEquals(rejections.map((r) => r.metadata.reason), ["IBAN holder differs"]);
      },
    );

    await t.step(
      "ledger health — wallet.view runs the invariant check and lists system accounts",
      async () => {
        const res = await api(stack, "GET", "/api/v1/admin/ledger/health", { as: finance });
        assertEquals(res.status, 200);
        assertEquals([res.body.ok, res.body.problems], [true, []]);
        const codes = res.body.system_accounts.map((a: { code: string }) => a.code);
        for (const code of ["gateway_clearing", "revenue", "payouts", "adjustments"]) {
          assert(codes.includes(code));
        }
        assertEquals((await api(stack, "GET", "/api/v1/admin/ledger/health", { as: user })).status, 403);
        assertEquals((await api(stack, "GET", "/api/v1/admin/ledger/health")).status, 401);
      },
    );

    await t.step("unknown API paths — a JSON 404", async () => {
      const res = await api(stack, "GET", "/api/v1/nothing-here", { as: user });
      assertEquals([res.status, res.body.error.code], [404, "not_found"]);
    });
  });
  await assertLedgerInvariants();
});
