/** Persian input on the pages, without JavaScript: day filters that are no day, IBANs as people type them. */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { signedInClient } from "./auth_http_client.ts";
import { caller, withApiStack } from "./wallet_api_client.ts";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import { db } from "../_support/db.ts";

const persianDigits = (text: string) => text.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
const hidden = (html: string, name: string) =>
  new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";

const browser = signedInClient;

/** The value an input named `name` was rendered with. */
const inputValue = (html: string, name: string) =>
  new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="${name}"`)
    .exec(html)?.slice(1).find((v) => v !== undefined);

Deno.test("[persian input] a bad day on a filter is an inline error, 400, with the form kept", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "Sara");
    const admin = await caller(stack, "Admin", "admin");
    const pages = [
      { who: sara, path: "/wallet?kind=topup&from=1405/13/40&to=", kept: ["kind", "topup"] },
      { who: admin, path: "/admin/payments?q=someone&from=1405/13/40&to=", kept: ["q", "someone"] },
      { who: admin, path: "/admin/audit?target=someone&from=1405/13/40&to=", kept: ["target", "someone"] },
    ];
    for (const locale of ["fa", "en"] as const) {
      for (const { who, path, kept } of pages) {
        await t.step(`${locale} ${path.split("?")[0]}`, async () => {
          const client = await browser(stack, who, locale);
          const res = await client.get(path);
          const html = await res.text();
          assertEquals(res.status, 400, path);
          assert(!html.includes('error-page"'), "not the generic error page");
          assertMatch(html, /<form[^>]*method="get"/);
          // The typed day is kept, marked invalid and described by its message.
          assertEquals(inputValue(html, "from"), "1405/13/40");
          assertMatch(html, /aria-invalid="true"[^>]*aria-describedby="[^"]*-error"/);
          assertStringIncludes(
            html,
            locale === "fa"
              ? "روزی مانند ۱۴۰۵/۰۹/۰۳ وارد کنید."
              : "Enter a day such as 2026-11-24 or 1405/09/03.",
          );
          // The other filters are kept too.
          if (kept[0] === "kind") assertMatch(html, new RegExp(`<option value="${kept[1]}" selected`));
          else assertEquals(inputValue(html, kept[0]), kept[1]);
        });
      }
    }

    await t.step("Persian digits and a Persian day parse; an end before the start is an error", async () => {
      const client = await browser(stack, sara, "fa");
      const ok = await client.get("/wallet?from=۱۴۰۵/۰۹/۰۱&to=1405-9-3");
      assertEquals(ok.status, 200);
      assertEquals(inputValue(await ok.text(), "to"), "۱۴۰۵/۰۹/۰۳");
      const backwards = await client.get("/wallet?from=1405/09/03&to=1405/09/01");
      assertEquals(backwards.status, 400);
      assertStringIncludes(await backwards.text(), "روز پایان پیش از روز شروع است.");
    });

    await t.step("the CSV export, which has no form, still refuses a bad day", async () => {
      const client = await browser(stack, sara, "en");
      const res = await client.get("/wallet/export.csv?from=1405/13/40");
      assertEquals(res.status, 400);
      await res.body?.cancel();
    });
  });
});

Deno.test("[persian input] IBANs typed in Persian digits, with spaces and no IR; the bank named", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "Sara");
    const finance = await caller(stack, "Finance", "finance");
    await fund(sara.id, 5_000_000n);
    const iban = randomIban("017"); // Bank Melli
    // "۰۶ ۰۱۷۰ …": Persian digits in groups of four, without the IR.
    const typed = persianDigits(iban.slice(2).replace(/(.{4})/g, "$1 ").trim());

    await t.step(
      "fa — a wrong amount keeps the typed IBAN and names its bank without JavaScript",
      async () => {
        const client = await browser(stack, sara, "fa");
        const key = hidden(await (await client.get("/wallet/withdrawals")).text(), "key");
        const bad = await client.post("/wallet/withdrawals", { tomans: "abc", iban: typed, key });
        assertEquals(bad.status, 400);
        const html = await bad.text();
        assertEquals(inputValue(html, "iban"), typed);
        assert(!html.includes('id="withdraw-iban-error"'), "the IBAN itself is fine");
        assertMatch(
          html,
          /<output id="withdraw-iban-bank"[^>]*data-bank="017"[^>]*>بانک ملی ایران<\/output>/,
        );
      },
    );

    await t.step(
      "fa — the request goes through, stored as IR + Latin digits, the list names the bank",
      async () => {
        const client = await browser(stack, sara, "fa");
        const key = hidden(await (await client.get("/wallet/withdrawals")).text(), "key");
        const ok = await client.post("/wallet/withdrawals", {
          tomans: "۲۰٬۰۰۰",
          iban: typed,
          key,
          current_password: sara.password,
        });
        assertEquals(ok.status, 303);
        assertMatch(ok.headers.get("location")!, /^\/wallet\/withdrawals\?notice=requested&id=\d+$/);
        assertEquals((await walletOf(sara.id)).held, 200_000n);
        const row = await db().selectFrom("ledger.withdrawals").select("iban")
          .where("user_id", "=", sara.id).executeTakeFirstOrThrow();
        assertEquals(row.iban, iban);
        const list = await (await client.get("/wallet/withdrawals")).text();
        assertMatch(
          list,
          new RegExp(`${iban}</bdi><span class="bank-name" data-bank="017">بانک ملی ایران</span>`),
        );
        const en = await (await browser(stack, sara, "en")).get("/wallet/withdrawals");
        assertStringIncludes(
          await en.text(),
          '<span class="bank-name" data-bank="017">Bank Melli Iran</span>',
        );
      },
    );

    await t.step("staff queue — the bank name under the IBAN", async () => {
      for (const [locale, name] of [["fa", "بانک ملی ایران"], ["en", "Bank Melli Iran"]]) {
        const staff = await browser(stack, finance, locale as "fa" | "en");
        const queue = await (await staff.get("/admin/withdrawals")).text();
        assertMatch(queue, new RegExp(`${iban}</bdi><span class="bank-name" data-bank="017">${name}</span>`));
      }
    });
  });
});

Deno.test("[persian input] a top-up from the fa page asks Zarinpal in Persian, from the en page in English", async () => {
  await withApiStack(async (stack) => {
    for (
      const [locale, description] of [["fa", "افزایش موجودی کیف پول پیشخوان"], [
        "en",
        "Pishkhan wallet top-up",
      ]]
    ) {
      const who = await caller(stack, `Payer-${locale}`);
      const client = await browser(stack, who, locale as "fa" | "en");
      const res = await client.post("/wallet/topup", { tomans: locale === "fa" ? "۵۰٬۰۰۰" : "50,000" });
      assertEquals(res.status, 303);
      assertMatch(res.headers.get("location")!, /StartPay/);
      await res.body?.cancel();
      const row = await db().selectFrom("payments").select("description").where("user_id", "=", who.id)
        .executeTakeFirstOrThrow();
      assertEquals(row.description, description);
    }
  });
});
