import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { fund, key, randomIban, walletOf } from "../_support/ledger.ts";
import { api as apiRoutes } from "../../routes/api/v1/_routes.ts";
import { registeredOperations } from "../../lib/api/openapi.ts";
import { Client, signIn } from "./auth_http_client.ts";
import { api, caller, reauthToken, withApiStack } from "./wallet_api_client.ts";

Deno.test("[wallet api] user routes", async (t) => {
  await withApiStack(async (stack) => {
    const alice = await caller(stack, "alice");
    const bob = await caller(stack, "bob");
    await fund(alice.id, 1_000_000n);

    await t.step("anonymous — every user route answers 401 JSON, in the request's language", async () => {
      for (
        const [method, path] of [
          ["GET", "/api/v1/wallet"],
          ["GET", "/api/v1/wallet/entries"],
          ["POST", "/api/v1/wallet/transfers"],
          ["POST", "/api/v1/withdrawals"],
          ["GET", "/api/v1/withdrawals"],
        ] as const
      ) {
        const res = await api(stack, method, path, { json: method === "POST" ? {} : undefined, key: "k1" });
        assertEquals(res.status, 401, path);
        assertEquals(res.body.error.code, "unauthorized");
      }
      const fa = await api(stack, "GET", "/api/v1/wallet", { locale: "fa" });
      assertMatch(fa.body.error.message, /وارد شوید/);
      const bad = await api(stack, "GET", "/api/v1/wallet", { as: "Bearer not-a-token" });
      assertEquals(bad.status, 401);
    });

    await t.step("owner — GET /wallet shows balance, held and available in rials", async () => {
      const res = await api(stack, "GET", "/api/v1/wallet", { as: alice });
      assertEquals(res.status, 200);
      assertEquals(res.body, { balance: 1_000_000, held: 0, available: 1_000_000, currency: "IRR" });
    });

    await t.step(
      "transfer — 201, then the same key and body replays (200, same id), a different body is 409",
      async () => {
        const k = key("t");
        const first = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: alice,
          key: k,
          json: { to: bob.email, amount: 25_000, note: "lunch" },
        });
        assertEquals(first.status, 201, JSON.stringify(first.body));
        assertMatch(first.body.transaction_id, /^\d+$/);
        const again = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: alice,
          key: k,
          json: { to: bob.email.toUpperCase(), amount: 25_000, note: "lunch" },
        });
        assertEquals(again.status, 200);
        assertEquals(again.body.transaction_id, first.body.transaction_id);
        const conflict = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: alice,
          key: k,
          json: { to: bob.email, amount: 26_000, note: "lunch" },
        });
        assertEquals(conflict.status, 409);
        assertEquals(conflict.body.error.code, "idempotency_conflict");
        assertEquals((await walletOf(alice.id)).balance, 975_000n);
        assertEquals((await walletOf(bob.id)).balance, 25_000n);
      },
    );

    await t.step("transfer — bad input is a 4xx and moves nothing", async () => {
      const bodies: [unknown, number, string][] = [
        [{ to: bob.email, amount: 1.5 }, 400, "invalid_input"],
        [{ to: bob.email, amount: 0 }, 400, "invalid_input"],
        [{ to: bob.email, amount: -100 }, 400, "invalid_input"],
        [{ to: bob.email, amount: "100" }, 400, "invalid_input"],
        [{ to: bob.email, amount: Number.MAX_SAFE_INTEGER + 2 }, 400, "invalid_input"],
        ['{"to":"x@y.z","amount":1e400}', 400, "invalid_input"],
        [{ to: bob.email }, 400, "invalid_input"],
        [{ to: bob.email, amount: 10, extra: true }, 400, "invalid_input"],
        ["{not json", 400, "bad_request"],
        [{ to: bob.email, amount: 10_000_000 }, 422, "insufficient_funds"],
        [{ to: "nobody-at-all@test.pishkhan.local", amount: 10 }, 404, "recipient_not_found"],
        [{ to: alice.email, amount: 10 }, 422, "self_transfer"],
        [{ to: bob.email, amount: 10 ** 15 + 1 }, 422, "invalid_amount"],
      ];
      // The largest amounts need a fresh re-authentication before the ledger even looks at them.
      const headers = { "x-reauthentication": await reauthToken(stack, alice) };
      for (const [json, status, code] of bodies) {
        const res = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: alice,
          key: key(),
          json,
          headers,
        });
        assertEquals([res.status, res.body?.error?.code], [status, code], JSON.stringify(json));
      }
      const noKey = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: alice,
        json: { to: bob.email, amount: 10 },
      });
      assertEquals([noKey.status, noKey.body.error.code], [400, "idempotency_key_required"]);
      const longKey = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: alice,
        key: "x".repeat(256),
        json: { to: bob.email, amount: 10 },
      });
      assertEquals(longKey.status, 400);
      const form = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: alice,
        key: key(),
        json: "to=x&amount=10",
        headers: { "content-type": "text/plain" },
      });
      // Hono's csrf middleware refuses the form-like type without an Origin first (403); otherwise requireJson (415).
      assert(form.status === 403 || form.status === 415, String(form.status));
      const xml = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: alice,
        key: key(),
        json: "<transfer/>",
        headers: { "content-type": "application/xml" },
      });
      assertEquals([xml.status, xml.body.error.code], [415, "json_required"]);
      assertEquals((await walletOf(alice.id)).balance, 975_000n);
      assertEquals((await walletOf(bob.id)).balance, 25_000n);
    });

    await t.step("errors — messages follow the request's language", async () => {
      const en = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: alice,
        key: key(),
        json: { to: bob.email, amount: 10_000_000 },
      });
      const fa = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: alice,
        key: key(),
        json: { to: bob.email, amount: 10_000_000 },
        locale: "fa",
      });
      assertEquals(en.body.error.message, "The wallet's available balance does not cover this amount.");
      assertMatch(fa.body.error.message, /موجودی/);
      const invalid = await api(stack, "POST", "/api/v1/wallet/transfers", {
        as: alice,
        key: key(),
        json: { to: bob.email, amount: 1.5 },
        locale: "fa",
      });
      assertMatch(invalid.body.error.message, /amount/);
      assertMatch(invalid.body.error.message, /معتبر نیست/);
    });

    await t.step("entries — newest first, keyset pages, kind and date filters", async () => {
      for (const amount of [1_000, 2_000, 3_000]) {
        const res = await api(stack, "POST", "/api/v1/wallet/transfers", {
          as: alice,
          key: key(),
          json: { to: bob.email, amount },
        });
        assertEquals(res.status, 201);
      }
      const first = await api(stack, "GET", "/api/v1/wallet/entries?limit=2", { as: alice });
      assertEquals(first.status, 200);
      assertEquals(first.body.items.map((e: { amount: number }) => e.amount), [-3_000, -2_000]);
      assert(first.body.next_cursor);
      const second = await api(
        stack,
        "GET",
        `/api/v1/wallet/entries?limit=2&cursor=${first.body.next_cursor}`,
        {
          as: alice,
        },
      );
      assertEquals(second.body.items.map((e: { amount: number }) => e.amount), [-1_000, -25_000]);
      const topups = await api(stack, "GET", "/api/v1/wallet/entries?kind=topup", { as: alice });
      assertEquals(topups.body.items.map((e: { amount: number }) => e.amount), [1_000_000]);
      assertEquals(topups.body.next_cursor, null);
      const lunch = second.body.items[1];
      assertEquals([lunch.kind, lunch.description], ["transfer", "lunch"]);
      const future = await api(stack, "GET", "/api/v1/wallet/entries?from=2999-01-01", { as: alice });
      assertEquals(future.body.items, []);
      const past = await api(stack, "GET", "/api/v1/wallet/entries?to=2000-01-01", { as: alice });
      assertEquals(past.body.items, []);
      // A day filter names a Tehran day (lib/wallet/date_range.ts): from 20:30 UTC Tehran is a day ahead.
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(new Date());
      const around = await api(stack, "GET", `/api/v1/wallet/entries?from=2000-01-01&to=${today}`, {
        as: alice,
      });
      assert(around.body.items.length >= 5);
      for (const query of ["cursor=!!", "limit=0", "limit=101", "kind=gift", "from=yesterday"]) {
        const res = await api(stack, "GET", `/api/v1/wallet/entries?${query}`, { as: alice });
        assertEquals(res.status, 400, query);
      }
      const bobs = await api(stack, "GET", "/api/v1/wallet/entries", { as: bob });
      assert(bobs.body.items.every((e: { amount: number }) => e.amount > 0), "bob sees only his own side");
    });

    await t.step(
      "withdrawals — request holds the amount; replay is 200; bad IBAN is 422 and holds nothing",
      async () => {
        const k = key("w");
        const headers = { "x-reauthentication": await reauthToken(stack, alice) };
        const iban = randomIban();
        const body = { amount: 150_000, iban: `${iban.slice(0, 4)} ${iban.slice(4)}` };
        const first = await api(stack, "POST", "/api/v1/withdrawals", {
          as: alice,
          key: k,
          json: body,
          headers,
        });
        assertEquals(first.status, 201, JSON.stringify(first.body));
        assertEquals([first.body.status, first.body.amount, first.body.iban], ["pending", 150_000, iban]);
        const again = await api(stack, "POST", "/api/v1/withdrawals", {
          as: alice,
          key: k,
          json: body,
          headers,
        });
        assertEquals([again.status, again.body.id], [200, first.body.id]);
        const conflict = await api(stack, "POST", "/api/v1/withdrawals", {
          as: alice,
          headers,
          key: k,
          json: { ...body, amount: 150_001 },
        });
        assertEquals(conflict.status, 409);
        const wrongDigit = iban.slice(0, -1) + String((Number(iban.at(-1)) + 1) % 10);
        const bad = await api(stack, "POST", "/api/v1/withdrawals", {
          as: alice,
          headers,
          key: key(),
          json: { amount: 100_000, iban: wrongDigit },
        });
        assertEquals([bad.status, bad.body.error.code], [422, "invalid_iban"]);
        const tooMuch = await api(stack, "POST", "/api/v1/withdrawals", {
          as: alice,
          headers,
          key: key(),
          json: { amount: 100_000_000, iban },
        });
        assertEquals(tooMuch.status, 422);
        const wallet = await api(stack, "GET", "/api/v1/wallet", { as: alice });
        assertEquals([wallet.body.held, wallet.body.available], [150_000, wallet.body.balance - 150_000]);
        const list = await api(stack, "GET", "/api/v1/withdrawals", { as: alice });
        assertEquals(list.body.items.map((w: { id: string }) => w.id), [first.body.id]);
        const bobList = await api(stack, "GET", "/api/v1/withdrawals", { as: bob });
        assertEquals(bobList.body.items, []);
      },
    );

    await t.step(
      "cookie session — reads work; a JSON POST works; a form-encoded POST is refused",
      async () => {
        const client = new Client(stack.appUrl);
        await signIn(client, bob);
        const read = await client.get("/api/v1/wallet", { accept: "application/json" });
        assertEquals(read.status, 200);
        assertEquals((await read.json()).balance, 31_000);
        const post = await client.request("/api/v1/wallet/transfers", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "idempotency-key": key(),
            accept: "application/json",
          },
          body: JSON.stringify({ to: alice.email, amount: 1_000 }),
        });
        assertEquals(post.status, 201);
        await post.body?.cancel();
        const cross = await client.request("/api/v1/wallet/transfers", {
          method: "POST",
          headers: {
            "content-type": "text/plain",
            "idempotency-key": key(),
            origin: "https://evil.example",
            accept: "application/json",
          },
          body: JSON.stringify({ to: alice.email, amount: 1_000 }),
        });
        assertNotEquals(cross.status, 201);
        assert(cross.status === 403 || cross.status === 415, String(cross.status));
        await cross.body?.cancel();
        assertEquals((await walletOf(bob.id)).balance, 30_000n);
      },
    );

    await t.step("openapi.json — an OpenAPI 3.1 document listing every mounted route", async () => {
      const res = await api(stack, "GET", "/api/v1/openapi.json");
      assertEquals([res.status, res.body.openapi], [200, "3.1.0"]);
      const documented = new Set<string>();
      for (const [path, ops] of Object.entries(res.body.paths as Record<string, object>)) {
        for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} /api/v1${path}`);
      }
      const mounted = new Set(
        apiRoutes.routes.filter((r) => r.method !== "ALL")
          .map((r) => `${r.method} /api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`),
      );
      assertEquals([...documented].sort(), [...mounted].sort());
      assertEquals(registeredOperations().length, mounted.size);
      const transfer = res.body.paths["/wallet/transfers"].post;
      assertEquals(transfer.requestBody.content["application/json"].schema.required, ["to", "amount"]);
      assert(transfer.parameters.some((p: { name: string }) => p.name === "Idempotency-Key"));
    });
  });
  await assertLedgerInvariants();
});
