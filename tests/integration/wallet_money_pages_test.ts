// Issue #10 (money that explains itself): history rows and receipts name the counterparty, success messages
// name amount and counterparty, notes keep their direction, transfer and withdrawal minimums, the empty amount
// and single-error rules, the two CSV exports, the pending-payment text and the live history feed.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { config, setConfig } from "../../lib/config.ts";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import { settle } from "../../lib/payments/store.ts";
import { pendingPaymentOf } from "../_support/payments.ts";
import { asService } from "../../lib/db/client.ts";
import type { Client } from "./auth_http_client.ts";
import { caller, hiddenValue, signedInClient, withApiStack } from "./wallet_api_client.ts";

const browser = signedInClient;
const hidden = hiddenValue;

/** The <tr> of one transaction in a history page. */
function row(html: string, transactionId: string): string {
  const match = new RegExp(`<tr data-transaction="${transactionId}">([\\s\\S]*?)</tr>`).exec(html);
  assert(match, `a history row for transaction ${transactionId}`);
  return match[1];
}

const occurrences = (html: string, text: string) => html.split(text).length - 1;

/** A masked email as the pages show it: the first character, three stars, the domain. */
const masked = (email: string) => `${email[0].toLowerCase()}***@${email.split("@")[1]}`;

/** Sends a transfer through both steps of the form; answers the redirect and the transaction id. */
async function sendTransfer(
  client: Client,
  fields: Record<string, string>,
): Promise<{ tx: string; location: string }> {
  const step = await client.post("/wallet/transfer", fields);
  assertEquals(step.status, 200, await step.clone().text());
  await step.body?.cancel();
  const done = await client.post("/wallet/transfer/confirm", fields);
  assertEquals(done.status, 303);
  await done.body?.cancel();
  const location = done.headers.get("location")!;
  // The newest transfer in the sender's history is this one.
  const history = await (await client.get("/wallet?kind=transfer")).text();
  const tx = /data-transaction="(\d+)"/.exec(history)?.[1];
  assert(tx, "the transfer is in the history");
  return { tx, location };
}

Deno.test("[wallet money] history, receipts, messages, amounts and exports", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "Sara");
    const reza = await caller(stack, "Reza");
    const stranger = await caller(stack, "Mina");
    const finance = await caller(stack, "Finance", "finance");
    await fund(sara.id, 5_000_000n); // 500,000 tomans
    const en = await browser(stack, sara, "en");
    const fa = await browser(stack, sara, "fa");
    const rezaFa = await browser(stack, reza, "fa");
    const note = '=HYPERLINK("http://x.test","rent")';
    const form = await (await en.get("/wallet/transfer")).text();
    const { tx, location } = await sendTransfer(en, {
      recipient: reza.email,
      tomans: "12500",
      note,
      key: hidden(form, "key"),
    });

    await t.step("the success message names the amount and the recipient", async () => {
      assertEquals(location, `/wallet?notice=transferred&tx=${tx}`);
      const html = await (await en.get(`/wallet?notice=transferred&tx=${tx}`)).text();
      assertStringIncludes(
        html,
        `You sent 12,500 tomans to \u2068Reza\u2069 (\u2066${masked(reza.email)}\u2069).`,
      );
      const persian = await (await fa.get(`/wallet?notice=transferred&tx=${tx}`)).text();
      assertStringIncludes(persian, "۱۲٬۵۰۰ تومان به \u2068Reza\u2069");
      // Someone else's transaction id in the link names nobody.
      const other = await (await browser(stack, stranger)).get(`/wallet?notice=transferred&tx=${tx}`);
      const otherHtml = await other.text();
      assert(!otherHtml.includes("Reza"), "a stranger's link does not reveal the recipient");
      assertStringIncludes(otherHtml, "Your transfer was sent.");
    });

    await t.step(
      "history rows show the counterparty, the kind, the note and the receipt (en, fa)",
      async () => {
        const sent = row(await (await en.get("/wallet")).text(), tx);
        assertStringIncludes(sent, ">To</span>");
        assertStringIncludes(sent, '<bdi dir="auto" class="counterparty-name">Reza</bdi>');
        assertStringIncludes(sent, `<bdi dir="ltr" class="counterparty-handle">${masked(reza.email)}</bdi>`);
        assert(!sent.includes(reza.email), "never the full address");
        assertStringIncludes(sent, ">Transfer<");
        assertStringIncludes(sent, `href="/wallet/receipts/${tx}"`);
        // The note is isolated with its own direction, escaped as text.
        assertStringIncludes(sent, '<bdi dir="auto" class="entry-note">=HYPERLINK(&quot;http://x.test&quot;');
        const faSent = row(await (await fa.get("/wallet")).text(), tx);
        assertStringIncludes(faSent, ">به</span>");
        assertStringIncludes(faSent, ">انتقال<");
        assertStringIncludes(faSent, ">رسید</a>");
        const received = row(await (await rezaFa.get("/wallet")).text(), tx);
        assertStringIncludes(received, ">از</span>");
        assertStringIncludes(received, '<bdi dir="auto" class="counterparty-name">Sara</bdi>');
        assertStringIncludes(received, masked(sara.email));
      },
    );

    await t.step(
      "the receipt: amount, time, kind, counterparty, reference; owners only (404 otherwise)",
      async () => {
        const res = await en.get(`/wallet/receipts/${tx}`);
        assertEquals(res.status, 200);
        const html = await res.text();
        assertMatch(html, /id="receipt-amount"><bdi dir="ltr" class="amount amount-out"[^>]*>−12,500 tomans/);
        assertStringIncludes(html, 'id="receipt-kind">Transfer<');
        assertMatch(html, /id="receipt-time">\d{1,2} \w+ \d{4}/);
        assertStringIncludes(html, `<bdi dir="ltr" class="counterparty-handle">${masked(reza.email)}</bdi>`);
        assertStringIncludes(html, ">To</span>");
        assertStringIncludes(html, `id="receipt-reference">TX-${tx.padStart(6, "0")}</bdi>`);
        assertStringIncludes(html, 'data-island="ReceiptActions"');
        assertStringIncludes(html, 'href="/static/css/money.css"');
        const theirs = await (await rezaFa.get(`/wallet/receipts/${tx}`)).text();
        assertStringIncludes(theirs, ">از</span>");
        assertStringIncludes(theirs, '<bdi dir="auto" class="counterparty-name">Sara</bdi>');
        assertStringIncludes(theirs, "رسید تراکنش");
        const strangerRes = await (await browser(stack, stranger)).get(`/wallet/receipts/${tx}`);
        assertEquals(strangerRes.status, 404);
        assert(!(await strangerRes.text()).includes("Reza"));
        assertEquals((await en.get("/wallet/receipts/999999999")).status, 404);
        const staff = await browser(stack, finance);
        const staffRes = await staff.get(`/admin/wallets/${sara.id}/receipts/${tx}`);
        assertEquals(staffRes.status, 200);
        assertStringIncludes(await staffRes.text(), masked(reza.email));
        assertEquals((await en.get(`/admin/wallets/${sara.id}/receipts/${tx}`)).status, 403);
      },
    );

    await t.step("a top-up's receipt gives Zarinpal's ref_id and the card mask", async () => {
      const paymentId = await pendingPaymentOf(sara, 50_000n, 600);
      await asService((tx) =>
        settle(tx, paymentId, {
          amount: 50_000n,
          refId: 20261130,
          cardPan: "603799******1234",
          cardHash: null,
          fee: null,
          feeType: null,
        })
      );
      const payment = await (await en.get(`/wallet/payments/${paymentId}`)).text();
      assertStringIncludes(payment, "20261130");
      const html = await (await en.get("/wallet?kind=topup")).text();
      const topupTx = [...html.matchAll(/data-transaction="(\d+)"/g)].map((m) => m[1])[0];
      const receipt = await (await en.get(`/wallet/receipts/${topupTx}`)).text();
      assertStringIncludes(receipt, 'id="receipt-ref-id"><bdi dir="ltr">20261130</bdi>');
      assertStringIncludes(receipt, 'id="receipt-card"><bdi dir="ltr">603799******1234</bdi>');
    });

    await t.step(
      "a transfer over the available balance is refused at the first step, form kept",
      async () => {
        const key = crypto.randomUUID();
        const res = await fa.post("/wallet/transfer", { recipient: reza.email, tomans: "900000", key });
        assertEquals(res.status, 422);
        const html = await res.text();
        assertStringIncludes(html, 'action="/wallet/transfer"');
        assert(!html.includes("/wallet/transfer/confirm"), "no confirmation step");
        assertStringIncludes(html, `value="${reza.email}"`);
        assertStringIncludes(html, 'value="900000"');
        assertMatch(html, /<p class="field-error" id="transfer-tomans-error">موجودی قابل‌برداشت شما/);
        assertEquals(occurrences(html, "موجودی قابل‌برداشت شما"), 1, "the error is shown once");
      },
    );

    await t.step("minimum transfer and withdrawal, with the minimum named beside the field", async () => {
      const page = await (await en.get("/wallet/withdrawals")).text();
      const low = await en.post("/wallet/withdrawals", {
        tomans: "9999",
        iban: randomIban(),
        key: hidden(page, "key"),
        current_password: sara.password,
      });
      assertEquals(low.status, 400);
      const html = await low.text();
      assertStringIncludes(
        html,
        '<p class="field-error" id="withdraw-tomans-error">The smallest withdrawal is 10,000 tomans.',
      );
      assertEquals(occurrences(html, 'class="field-error"'), 1, "one error, beside its field");
      assert(!html.includes('class="alert alert-error"'), "no summary for one error");
      assertEquals((await walletOf(sara.id)).held, 0n);
      const ok = await en.post("/wallet/withdrawals", {
        tomans: "10000",
        iban: "IR820540102680020817909002",
        key: hidden(page, "key"),
        current_password: sara.password,
      });
      assertEquals(ok.status, 303);
      const location = ok.headers.get("location")!;
      assertMatch(location, /^\/wallet\/withdrawals\?notice=requested&id=\d+$/);
      const done = await (await en.get(location)).text();
      assertStringIncludes(
        done,
        "Your request to withdraw 10,000 tomans to \u2066IR820540102680020817909002\u2069 was received",
      );
      const before = config();
      setConfig({ ...before, WALLET_MIN_TRANSFER_RIAL: 50_000 });
      try {
        const res = await en.post("/wallet/transfer", {
          recipient: reza.email,
          tomans: "4999",
          key: crypto.randomUUID(),
        });
        assertEquals(res.status, 400);
        const text = await res.text();
        assertStringIncludes(
          text,
          '<p class="field-error" id="transfer-tomans-error">The smallest transfer is 5,000 tomans.',
        );
        const confirm = await en.post("/wallet/transfer/confirm", {
          recipient: reza.email,
          tomans: "4999",
          key: crypto.randomUUID(),
        });
        assertEquals(confirm.status, 400, "the confirm step checks it too");
        await confirm.body?.cancel();
      } finally {
        setConfig(before);
      }
    });

    await t.step(
      "an empty amount is an inline Persian error with 400, never the browser's bubble",
      async () => {
        const transfer = await fa.post("/wallet/transfer", {
          recipient: reza.email,
          tomans: "",
          key: crypto.randomUUID(),
        });
        assertEquals(transfer.status, 400);
        const html = await transfer.text();
        assertStringIncludes(
          html,
          '<p class="field-error" id="transfer-tomans-error">مبلغ را به تومان وارد کنید.</p>',
        );
        assert(!html.includes('class="alert alert-error"'), "one error: no summary above the form");
        const withdraw = await fa.post("/wallet/withdrawals", {
          iban: randomIban(),
          key: crypto.randomUUID(),
        });
        assertEquals(withdraw.status, 400);
        assertStringIncludes(
          await withdraw.text(),
          '<p class="field-error" id="withdraw-tomans-error">مبلغ را به تومان وارد کنید.</p>',
        );
        const topup = await fa.post("/wallet/topup", { tomans: "" });
        assertEquals(topup.status, 400);
        const topupHtml = await topup.text();
        assertStringIncludes(
          topupHtml,
          '<p class="field-error" id="topup-tomans-error">مبلغ را به تومان وارد کنید.</p>',
        );
        for (const form of topupHtml.match(/<form method="post"[^>]*>/g) ?? []) {
          if (form.includes("/wallet/topup")) assertStringIncludes(form, "novalidate");
        }
        // Two wrong fields: each beside its field, and the summary above.
        const two = await en.post("/wallet/transfer", {
          recipient: "x",
          tomans: "",
          key: crypto.randomUUID(),
        });
        const twoHtml = await two.text();
        assertStringIncludes(twoHtml, "Please correct the fields marked below.");
        assertStringIncludes(twoHtml, 'id="field-recipient-error"');
        assertStringIncludes(twoHtml, 'id="transfer-tomans-error"');
      },
    );

    await t.step("top-up presets fill the amount field instead of starting a payment", async () => {
      const html = await (await fa.get("/wallet/topup")).text();
      assertMatch(html, /<a href="\/wallet\/topup\?tomans=50000#topup-tomans"/);
      assert(!/<button type="submit" name="tomans"/.test(html), "no preset submits to the gateway");
      const filled = await (await fa.get("/wallet/topup?tomans=50000")).text();
      assertMatch(
        filled,
        /<input[^>]*id="topup-tomans"[^>]*value="50000"|<input[^>]*value="50000"[^>]*id="topup-tomans"/,
      );
    });

    await t.step(
      "customer CSV: Persian headers, Tehran Persian-calendar dates, tomans; the data export unchanged",
      async () => {
        const sheet = await (await fa.get("/wallet/export.csv?kind=transfer")).text();
        const lines = sheet.replace(/^\ufeff/, "").trim().split("\r\n");
        assertEquals(lines[0], "تاریخ (به وقت تهران),شمارهٔ پیگیری,نوع,طرف حساب,شرح,مبلغ (تومان)");
        assertMatch(
          lines[1],
          /^14\d\d\/\d\d\/\d\d \d\d:\d\d,TX-\d{6,},انتقال,به Reza \(R\*\*\*@test\.pishkhan\.local\)|^14\d\d\/\d\d\/\d\d \d\d:\d\d,TX-\d{6,},انتقال,به Reza \(r\*\*\*@test\.pishkhan\.local\)/,
        );
        assert(lines[1].endsWith(",-12500"), lines[1]);
        const english = (await (await en.get("/wallet/export.csv?kind=transfer")).text()).trim().split(
          "\r\n",
        );
        assertEquals(
          english[0].replace(/^\ufeff/, ""),
          "Date (Tehran),Reference,Type,Counterparty,Details,Amount (tomans)",
        );
        assertMatch(english[1], /^20\d\d-\d\d-\d\d \d\d:\d\d,TX-/);
        const data = await fa.get("/wallet/export.csv?kind=transfer&format=data");
        assertMatch(data.headers.get("content-disposition")!, /wallet-data-/);
        const rows = (await data.text()).replace(/^\ufeff/, "").trim().split("\r\n");
        assertEquals(rows[0], "created_at,transaction_id,kind,kind_label,amount_rial,description");
        assertMatch(
          rows[1],
          new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z,${tx},transfer,انتقال,-125000,`),
        );
        const page = await (await fa.get("/wallet")).text();
        assertStringIncludes(page, "خروجی داده (تاریخ ISO، ریال)");
        assertStringIncludes(page, 'href="/wallet/export.csv?format=data"');
      },
    );

    await t.step(
      "a pending payment says it is checked every minute until it expires, not 'within minutes'",
      async () => {
        const paymentId = await pendingPaymentOf(sara, 20_000n, 1800);
        const html = await (await en.get(`/wallet/payments/${paymentId}`)).text();
        assertStringIncludes(html, "we check it again automatically every minute until");
        assertStringIncludes(html, "closed as expired");
        assert(!html.includes("within a few minutes"));
        const persian = await (await fa.get(`/wallet/payments/${paymentId}`)).text();
        assertStringIncludes(persian, "هر دقیقه خودکار دوباره بررسی");
      },
    );

    await t.step("live: the SSE feed sends the new history row and a toast when money arrives", async () => {
      const page = await (await rezaFa.get("/wallet")).text();
      const newest = /data-transaction="(\d+)"/.exec(page)?.[1];
      assertStringIncludes(page, `/wallet/events?after=${newest}`);
      const res = await rezaFa.get(`/wallet/events?after=${newest}`, { accept: "text/event-stream" });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      const until = async (pattern: RegExp) => {
        while (!pattern.test(text)) text += (await reader.read()).value ?? "";
      };
      await until(/event: balance\n/);
      const form = await (await en.get("/wallet/transfer")).text();
      const { tx: second } = await sendTransfer(en, {
        recipient: reza.email,
        tomans: "3000",
        key: hidden(form, "key"),
      });
      await until(/event: entry\ndata: .*\n\n/);
      await reader.cancel();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the server sees the stream end
      const data = JSON.parse(/event: entry\ndata: (.*)\n/.exec(text)![1]);
      assertEquals(data.transactionId, second);
      assertStringIncludes(data.html, `<tr data-transaction="${second}">`);
      assertStringIncludes(data.html, ">از</span>");
      assertEquals(data.toast, "۳٬۰۰۰ تومان از \u2068Sara\u2069 به کیف پول شما رسید.");
    });
  });
});
