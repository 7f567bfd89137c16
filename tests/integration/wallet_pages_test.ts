import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { asUser, db } from "../_support/db.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import { createPending } from "../../lib/payments/store.ts";
import { Client } from "./auth_http_client.ts";
import { caller, hiddenValue, signedInClient, withApiStack } from "./wallet_api_client.ts";

const browser = signedInClient;
const hidden = hiddenValue;

Deno.test("[wallet pages] customer and staff pages", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "Sara");
    const reza = await caller(stack, "Reza");
    const finance = await caller(stack, "Finance", "finance");
    await fund(sara.id, 2_000_000n);
    const client = await browser(stack, sara);

    await t.step("anonymous — /wallet and its forms send people to sign in", async () => {
      for (const path of ["/wallet", "/wallet/transfer", "/wallet/withdrawals", "/wallet/export.csv"]) {
        const res = await new Client(stack.appUrl).get(path);
        assertEquals(res.status, 303, path);
        assertMatch(res.headers.get("location")!, /^\/signin\?next=/);
      }
    });

    await t.step("wallet — balance cards in tomans, Persian digits and RTL in fa, the nav link", async () => {
      const en = await (await client.get("/wallet")).text();
      assertStringIncludes(en, "200,000 tomans");
      assertStringIncludes(en, 'href="/wallet/topup"');
      assertStringIncludes(en, 'href="/wallet/payments"');
      assertStringIncludes(en, 'data-island="LiveBalance"');
      assertMatch(en, /<a href="\/wallet" aria-current="page">Wallet<\/a>/);
      const fa = await (await browser(stack, sara, "fa")).get("/wallet");
      const html = await fa.text();
      assertStringIncludes(html, 'dir="rtl"');
      assertStringIncludes(html, "۲۰۰٬۰۰۰ تومان");
    });

    await t.step(
      "transfer — form, confirmation with name and masked email, one transfer for a double submit",
      async () => {
        const form = await (await client.get("/wallet/transfer")).text();
        const key = hidden(form, "key");
        assertMatch(key, /^[0-9a-f-]{36}$/);
        const fields = { recipient: reza.email, tomans: "۱۲٬۵۰۰", note: "rent", key };
        const confirm = await client.post("/wallet/transfer", fields);
        assertEquals(confirm.status, 200);
        const page = await confirm.text();
        assertStringIncludes(page, "Reza");
        assertStringIncludes(page, `r***@${reza.email.split("@")[1]}`);
        assert(!page.includes(`>${reza.email}<`), "the full email is not shown as text");
        assertStringIncludes(page, "12,500 tomans");
        assertEquals((await walletOf(sara.id)).balance, 2_000_000n, "nothing moves before confirming");
        for (let i = 0; i < 2; i++) {
          const done = await client.post("/wallet/transfer/confirm", fields);
          assertEquals(done.status, 303);
          assertMatch(done.headers.get("location")!, /^\/wallet\?notice=transferred&tx=\d+$/);
        }
        assertEquals((await walletOf(sara.id)).balance, 1_875_000n);
        assertEquals((await walletOf(reza.id)).balance, 125_000n);
        const after = await (await client.get("/wallet?notice=transferred")).text();
        assertStringIncludes(after, "Your transfer was sent."); // without the transaction: the plain sentence
        assertStringIncludes(after, "rent");
      },
    );

    await t.step(
      "transfer — unknown recipient, self, bad amount and overdraft are shown on the form",
      async () => {
        const key = crypto.randomUUID();
        const cases: [Record<string, string>, number, string][] = [
          [{ recipient: "ghost@test.pishkhan.local", tomans: "10", key }, 422, "No Pishkhan user"],
          [{ recipient: sara.email, tomans: "10", key }, 422, "to yourself"],
          [{ recipient: reza.email, tomans: "12.5", key }, 400, "whole number of tomans"],
          [{ recipient: reza.email, tomans: "0", key }, 400, "whole number of tomans"],
          [{ recipient: reza.email, tomans: "10", key: "not-a-key" }, 400, "correct the fields"],
        ];
        for (const [fields, status, text] of cases) {
          const res = await client.post("/wallet/transfer", fields);
          assertEquals(res.status, status, JSON.stringify(fields));
          assertStringIncludes(await res.text(), text);
        }
        const overdraft = await client.post("/wallet/transfer/confirm", {
          recipient: reza.email,
          tomans: "99999999",
          key,
          current_password: sara.password, // a large amount: the password again
        });
        assertEquals(overdraft.status, 422);
        assertStringIncludes(await overdraft.text(), "does not cover");
        assertEquals((await walletOf(sara.id)).balance, 1_875_000n);
      },
    );

    await t.step("history — kind and date filters, keyset pages, CSV export", async () => {
      const topups = await (await client.get("/wallet?kind=topup")).text();
      assertEquals(topups.match(/data-transaction=/g)?.length, 1);
      const none = await (await client.get("/wallet?from=2999-01-01")).text();
      assertStringIncludes(none, "No transactions match these filters.");
      assertEquals((await client.get("/wallet?kind=gift")).status, 400);
      for (let i = 0; i < 21; i++) await fund(sara.id, 10n);
      const first = await (await client.get("/wallet")).text();
      assertEquals(first.match(/data-transaction=/g)?.length, 20);
      const older = /href="(\/wallet\?cursor=[^"]+)" rel="next"/.exec(first)?.[1];
      assert(older, "a link to older entries");
      const second = await (await client.get(older)).text();
      assertEquals(second.match(/data-transaction=/g)?.length, 3);
      const csv = await client.get("/wallet/export.csv?kind=transfer&format=data"); // the data export: as before
      assertEquals(csv.headers.get("content-type"), "text/csv; charset=utf-8");
      const lines = (await csv.text()).trim().split("\r\n");
      assertEquals(lines.length, 2);
      assertMatch(lines[1], /,transfer,Transfer,-125000,rent$/);
    });

    await t.step("history in fa — Persian-calendar days in the filter, ISO in the export link", async () => {
      const fa = await browser(stack, sara, "fa");
      const todayInTehran = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(new Date());
      const [y, m, d] = todayInTehran.split("-").map(Number);
      // Today in the Persian calendar by ICU, typed with Persian digits as a Persian reader would.
      const persianToday = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
        timeZone: "Asia/Tehran",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).format(new Date(Date.UTC(y, m - 1, d, 12)));
      const page = await fa.get(`/wallet?from=${encodeURIComponent(persianToday)}&kind=transfer`);
      assertEquals(page.status, 200);
      const html = await page.text();
      assertEquals(html.match(/data-transaction=/g)?.length, 1, "today's transfer is listed");
      assert(
        html.includes(`value="${persianToday.replace(/\u200f/g, "")}"`),
        "the field shows the Persian day",
      );
      assertStringIncludes(html, `from=${todayInTehran}`); // the export and page links carry ISO
      const future = await (await fa.get(`/wallet?from=${encodeURIComponent("۱۴۹۹/۰۱/۰۱")}`)).text();
      assertStringIncludes(future, "هیچ تراکنشی با این فیلترها پیدا نشد.");
      assertEquals((await fa.get(`/wallet?from=${encodeURIComponent("۱۴۰۵/۱۲/۳۱")}`)).status, 400);
      const en = await (await client.get(`/wallet?from=${todayInTehran}&kind=transfer`)).text();
      assert(en.includes(`type="date" value="${todayInTehran}"`), "English keeps the date picker");
    });

    await t.step(
      "withdrawals — an IBAN with a wrong checksum is an inline error; request, list, cancel",
      async () => {
        const page = await (await client.get("/wallet/withdrawals")).text();
        const key = hidden(page, "key");
        const iban = randomIban();
        const wrong = iban.slice(0, -1) + String((Number(iban.at(-1)) + 1) % 10);
        const bad = await client.post("/wallet/withdrawals", { tomans: "10000", iban: wrong, key });
        assertEquals(bad.status, 400);
        const html = await bad.text();
        assertMatch(
          html,
          /<p class="field-error" id="withdraw-iban-error">This Sheba number.{1,5}s check digits do not match/,
        );
        assertEquals((await walletOf(sara.id)).held, 0n);
        const ok = await client.post("/wallet/withdrawals", {
          tomans: "10000",
          iban,
          key,
          current_password: sara.password,
        });
        assertEquals(ok.status, 303);
        assertMatch(ok.headers.get("location")!, /^\/wallet\/withdrawals\?notice=requested&id=\d+$/);
        const again = await client.post("/wallet/withdrawals", { tomans: "10000", iban, key });
        assertEquals(again.status, 303);
        assertEquals((await walletOf(sara.id)).held, 100_000n);
        const list = await (await client.get("/wallet/withdrawals")).text();
        const id = /data-withdrawal="(\d+)"/.exec(list)?.[1];
        assertStringIncludes(list, 'data-status="pending"');
        const cancel = await client.post(`/wallet/withdrawals/${id}/cancel`, {});
        assertEquals(cancel.status, 303);
        assertEquals((await walletOf(sara.id)).held, 0n);
        assertStringIncludes(
          await (await client.get("/wallet/withdrawals")).text(),
          'data-status="cancelled"',
        );
      },
    );

    await t.step(
      "payment banner — /wallet?payment=<id> shows the top-up's outcome to its owner only",
      async () => {
        const paymentId = await asUser(
          { sub: sara.id, role: "authenticated", email: sara.email, user_role: "user" },
          (tx) =>
            createPending(tx, {
              amount: 50_000n,
              description: "test",
              merchantKey: "0123456789abcdef",
              ttlSeconds: 600,
            }),
        );
        const html = await (await client.get(`/wallet?payment=${paymentId}`)).text();
        assertStringIncludes(html, 'data-payment-status="pending"');
        assertStringIncludes(html, `href="/wallet/payments/${paymentId}"`);
        const other = await (await browser(stack, reza)).get(`/wallet?payment=${paymentId}`);
        assert(!(await other.text()).includes("data-payment-status"));
      },
    );

    await t.step(
      "live events — the SSE stream sends the balance now and again when money arrives",
      async () => {
        const res = await client.get("/wallet/events", { accept: "text/event-stream" });
        assertEquals(res.headers.get("content-type"), "text/event-stream");
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let text = "";
        const until = async (pattern: RegExp) => {
          while (!pattern.test(text)) text += (await reader.read()).value ?? "";
        };
        const before = (await walletOf(sara.id)).balance;
        await until(/event: balance\ndata: .*\n\n/);
        assertStringIncludes(text, `"balance":"${before}"`);
        const watchers = await sql<{ n: number }>`select count(*)::int as n from ledger.wallet_watchers
        where user_id = ${sara.id} and expires_at > now()`.execute(db());
        assertEquals(watchers.rows[0].n, 1);
        await fund(sara.id, 70_000n);
        await until(new RegExp(`"balance":"${before + 70_000n}"`));
        await reader.cancel();
        // The server notices the stream is gone after its current write (a busy machine: up to a few seconds).
        let left = 1;
        for (let i = 0; i < 50 && left > 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          left = (await sql<{ n: number }>`select count(*)::int as n from ledger.wallet_watchers
          where user_id = ${sara.id}`.execute(db())).rows[0].n;
        }
        assertEquals(left, 0, "the watch ends with the stream");
      },
    );

    await t.step(
      "transfer — recipient look-ups are limited per user (no walking the user list)",
      async () => {
        let status = 0;
        for (let i = 0; i < 40 && status !== 429; i++) {
          const res = await client.post("/wallet/transfer", {
            recipient: `probe-${i}@test.pishkhan.local`,
            tomans: "10",
            key: crypto.randomUUID(),
          });
          status = res.status;
          if (status === 429) assertStringIncludes(await res.text(), "Too many recipient look-ups");
          else await res.body?.cancel();
        }
        assertEquals(status, 429);
        const other = await (await browser(stack, reza)).post("/wallet/transfer", {
          recipient: sara.email,
          tomans: "1",
          key: crypto.randomUUID(),
        });
        assertEquals(other.status, 200, "another user is not affected");
        await other.body?.cancel();
      },
    );

    const staff = await browser(stack, finance);

    await t.step(
      "admin — customers get 403; finance finds a wallet by email and adjusts it (audited)",
      async () => {
        assertEquals((await client.get("/admin/wallets")).status, 403);
        const found = await (await staff.get(`/admin/wallets?q=${encodeURIComponent(sara.email)}`)).text();
        assertStringIncludes(found, `href="/admin/wallets/${sara.id}"`);
        const page = await (await staff.get(`/admin/wallets/${sara.id}`)).text();
        const key = hidden(page, "key");
        const before = (await walletOf(sara.id)).balance;
        const noReason = await staff.post(`/admin/wallets/${sara.id}/adjust`, {
          tomans: "-100",
          reason: "",
          key,
        });
        assertEquals(noReason.status, 400);
        assertEquals((await walletOf(sara.id)).balance, before);
        const done = await staff.post(`/admin/wallets/${sara.id}/adjust`, {
          tomans: "−100",
          reason: "Fee refund",
          key,
        });
        assertEquals([done.status, done.headers.get("location")], [
          303,
          `/admin/wallets/${sara.id}?notice=adjusted`,
        ]);
        await staff.post(`/admin/wallets/${sara.id}/adjust`, { tomans: "−100", reason: "Fee refund", key });
        assertEquals((await walletOf(sara.id)).balance, before - 1_000n);
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.audit_log
        where action = 'wallet.adjust' and target_id = ${sara.id}`.execute(db());
        assertEquals(rows[0].n, 1);
      },
    );

    await t.step(
      "admin — the withdrawals queue approves with a bank reference and rejects with a reason",
      async () => {
        const page = await (await client.get("/wallet/withdrawals")).text();
        for (const tomans of ["20000", "30000"]) {
          const key = crypto.randomUUID();
          const res = await client.post("/wallet/withdrawals", { tomans, iban: randomIban(), key });
          assertEquals(res.status, 303, page.slice(0, 0));
        }
        const queue = await (await staff.get("/admin/withdrawals")).text();
        const ids = [...queue.matchAll(/<tr data-withdrawal="(\d+)">/g)].map((m) => m[1]);
        assert(ids.length >= 2);
        const approved = await staff.post(`/admin/withdrawals/${ids[0]}/approve`, {
          bank_reference: "SATNA-1",
        });
        assertEquals(approved.status, 303);
        const twice = await staff.post(`/admin/withdrawals/${ids[0]}/reject`, { reason: "too late" });
        assertEquals(twice.status, 409);
        const noReason = await staff.post(`/admin/withdrawals/${ids[1]}/reject`, { reason: "" });
        assertEquals(noReason.status, 400);
        const rejected = await staff.post(`/admin/withdrawals/${ids[1]}/reject`, { reason: "Name mismatch" });
        assertEquals(rejected.status, 303);
        assertEquals((await walletOf(sara.id)).held, 0n);
        assertEquals((await client.post(`/admin/withdrawals/${ids[1]}/reject`, { reason: "x" })).status, 403);
      },
    );

    await t.step("admin — ledger health shows no problems and the system accounts", async () => {
      const html = await (await staff.get("/admin/ledger/health")).text();
      assertStringIncludes(html, 'data-problems="0"');
      assertStringIncludes(html, 'data-account="gateway_clearing"');
      assertStringIncludes(html, "Gateway clearing (money received from Zarinpal, not yet settled)");
      staff.cookies.set("locale", "fa");
      const persian = await (await staff.get("/admin/ledger/health")).text();
      staff.cookies.set("locale", "en");
      assertStringIncludes(persian, "حساب واسط درگاه");
      assertEquals((await client.get("/admin/ledger/health")).status, 403);
    });
  });
  await assertLedgerInvariants();
});
