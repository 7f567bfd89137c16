/**
 * Persian digits everywhere in fa: the main customer and staff pages, rendered with data, have no Latin digit in
 * their text. What stays Latin, by decision:
 * - machine text (IBANs, Zarinpal authorities and ref ids on the staff page, card masks, bank references, API
 *   requests), but only inside an element marked as such: `dir="ltr"` or the `ltr-inline` class (an LTR
 *   isolate), the way those values are rendered so they read left to right in a RTL page;
 * - what people wrote themselves (notes, reasons, names), inside `dir="auto"`;
 * - email addresses, wherever they are (also in <title>, which cannot hold markup): an address is typed exactly.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { asUser, db } from "../_support/db.ts";
import { fund, randomIban } from "../_support/ledger.ts";
import { createPending } from "../../lib/payments/store.ts";
import { Client, signedInClient } from "./auth_http_client.ts";
import { caller, withApiStack } from "./wallet_api_client.ts";

const browser = signedInClient;

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "wbr",
]);

/**
 * The text of `html` outside tags and attributes, without <script>, <style> and elements marked `dir="ltr"`
 * (machine text), each piece with the element it is in, for the message.
 */
export function visibleText(html: string): { text: string; where: string }[] {
  const out: { text: string; where: string }[] = [];
  const stack: { name: string; skip: boolean }[] = [];
  const skipping = () => stack.some((e) => e.skip);
  const tag = /<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  let last = 0;
  for (const match of html.matchAll(tag)) {
    const text = html.slice(last, match.index);
    if (text.trim() && !skipping()) out.push({ text, where: stack.map((e) => e.name).slice(-3).join(">") });
    last = match.index! + match[0].length;
    const [, closing, rawName, attributes = ""] = match;
    if (!rawName) continue;
    const name = rawName.toLowerCase();
    if (closing) {
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    if (VOID.has(name) || attributes.trimEnd().endsWith("/")) continue;
    const skip = /\sdir="(ltr|auto)"/.test(attributes) || /\sclass="[^"]*\bltr-inline\b/.test(attributes);
    if (name === "script" || name === "style") {
      const end = html.indexOf(`</${name}>`, last);
      last = end < 0 ? html.length : end + name.length + 3;
      continue;
    }
    stack.push({ name, skip });
  }
  return out;
}

/** Latin digits in the visible text, with some context. */
export function latinDigits(html: string): string[] {
  const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
  return visibleText(html).filter(({ text }) => /[0-9]/.test(text.replace(EMAIL, "")))
    .map(({ text, where }) => `${where}: ${text.trim().slice(0, 80)}`);
}

Deno.test("[fa digits] the fa pages, customer and staff, show no Latin digit outside machine text", async (t) => {
  await withApiStack(async (stack) => {
    const sara = await caller(stack, "Sara");
    const reza = await caller(stack, "Reza");
    const admin = await caller(stack, "Admin", "admin");
    await fund(sara.id, 20_000_000n);
    const saraFa = await browser(stack, sara, "fa");
    const adminFa = await browser(stack, admin, "fa");

    // Data on every page: a transfer, withdrawals (one approved), a staff adjustment, top-ups in each state.
    const form = async (client: Client, path: string) =>
      /<input type="hidden" name="key" value="([^"]*)"/.exec(await (await client.get(path)).text())?.[1] ??
        "";
    const sent = await saraFa.post("/wallet/transfer/confirm", {
      recipient: reza.email,
      tomans: "۱۲٬۵۰۰",
      note: "rent 12",
      key: await form(saraFa, "/wallet/transfer"),
    });
    assertEquals(sent.status, 303);
    for (const tomans of ["15000", "20000"]) {
      const res = await saraFa.post("/wallet/withdrawals", {
        tomans,
        iban: randomIban(),
        key: await form(saraFa, "/wallet/withdrawals"),
        current_password: sara.password,
      });
      assertEquals(res.status, 303);
    }
    const { rows: [withdrawal] } = await sql<{ id: string }>`select id::text from ledger.withdrawals
      where user_id = ${sara.id} order by id limit 1`.execute(db());
    assertEquals(
      (await adminFa.post(`/admin/withdrawals/${withdrawal.id}/approve`, { bank_reference: "SATNA-1" }))
        .status,
      303,
    );
    const adjusted = await adminFa.post(`/admin/wallets/${sara.id}/adjust`, {
      tomans: "20",
      reason: "Fee refund",
      key: await form(adminFa, `/admin/wallets/${sara.id}`),
    });
    assertEquals(adjusted.status, 303);
    const claims = { sub: sara.id, role: "authenticated", email: sara.email, user_role: "user" } as const;
    const payments: string[] = [];
    for (const status of ["pending", "failed", "expired"]) {
      const id = await asUser(claims, (tx) =>
        createPending(tx, {
          amount: 10_000_000n,
          description: "test",
          merchantKey: "0123456789abcdef",
          ttlSeconds: 600,
        }));
      if (status !== "pending") {
        const reason = status === "failed" ? "gateway_refused" : "expired";
        await sql`select payments.close(${id}::bigint, ${status}::public.payment_status, ${reason}, -9)`
          .execute(db());
      }
      payments.push(id);
    }

    const customer = [
      "/",
      "/wallet",
      "/wallet?notice=transferred",
      "/wallet/topup",
      "/wallet/transfer",
      "/wallet/withdrawals",
      "/wallet/payments",
      ...payments.map((id) => `/wallet/payments/${id}`),
      "/profile",
      "/tickets",
      "/tickets/new",
    ];
    const staff = [
      "/admin",
      "/admin/users",
      `/admin/users/${sara.id}`,
      "/admin/wallets",
      `/admin/wallets/${sara.id}`,
      "/admin/payments",
      ...payments.map((id) => `/admin/payments/${id}`),
      "/admin/withdrawals",
      `/admin/withdrawals?notice=approved&id=${withdrawal.id}`,
      `/admin/withdrawals?notice=rejected&id=${withdrawal.id}`,
      "/admin/approvals",
      "/admin/audit",
      "/admin/ledger/health",
      "/admin/api-keys",
      "/admin/tickets",
    ];
    const found: Record<string, string[]> = {};
    const html: Record<string, string> = {};
    for (const [client, paths] of [[saraFa, customer], [adminFa, staff]] as const) {
      for (const path of paths) {
        const res = await client.get(path);
        assertEquals(res.status, 200, path);
        html[path] = await res.text();
        const digits = latinDigits(html[path]);
        if (digits.length) found[path] = digits;
      }
    }
    await t.step("no Latin digit in any text node", () => assertEquals(found, {}));

    await t.step("audit details and sign-in methods are translated, not raw keys", () => {
      const audit = html["/admin/audit"];
      assertStringIncludes(audit, "روش: رمز عبور", "sign-in method");
      assertStringIncludes(audit, "مبلغ: ۲۰ تومان", "the adjustment's amount");
      const persianId = withdrawal.id.replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]);
      assertStringIncludes(audit, `برداشت: ${persianId}`, "the withdrawal id in Persian digits");
      for (const raw of ["method:", "amount:", "withdrawal_id", "transaction_id", ">password<"]) {
        assert(!visibleText(audit).some(({ text }) => text.includes(raw)), `raw "${raw}" on the audit page`);
      }
      const user = html[`/admin/users/${sara.id}`];
      assertStringIncludes(user, "ایمیل و رمز عبور یا پیوند");
      assert(!/<dd>\s*<span dir="ltr">email<\/span>/.test(user), "the provider's raw name");
    });
  });
});
