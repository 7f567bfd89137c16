/**
 * The staff withdrawal queue: filters (status, amount, customer), bulk approve/reject that keeps four eyes
 * for every withdrawal (the first approver of a request cannot be its second), the CSV export of the
 * filtered list, and a detail page per withdrawal instead of forms inline in the list.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import { asUser, createUser, db } from "../_support/db.ts";
import { requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { type Client, staff, withStack } from "./auth_http_client.ts";

/** Posts a form whose `id` field repeats (the ticked checkboxes). */
async function bulk(client: Client, ids: string[], fields: Record<string, string>) {
  const body = new URLSearchParams(fields);
  for (const id of ids) body.append("id", id);
  return await client.request("/admin/withdrawals/bulk", {
    method: "POST",
    body: body.toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: client.base },
  });
}

/** The listed withdrawals among `ours` (other test files add withdrawals to the same database). */
const listed = (html: string, ours: string[]) =>
  [...html.matchAll(/data-withdrawal="(\d+)"/g)].map((m) => m[1]).filter((id) => ours.includes(id)).sort();

Deno.test("[admin withdrawals] bulk decisions keep four eyes; filters, CSV and a detail page per request", async (t) => {
  await withStack(async (stack) => {
    const [first, second] = [await staff(stack, "finance"), await staff(stack, "finance")];
    const customer = await createUser("queue-payee");
    const other = await createUser("queue-other");
    await fund(customer.id, 200_000_000n);
    await fund(other.id, 5_000_000n);
    const ask = (who: typeof customer, amount: bigint) =>
      asUser(
        who.claims,
        (tx) => requestWithdrawal(tx, { amount, iban: randomIban(), idempotencyKey: crypto.randomUUID() }),
      )
        .then((r) => r.withdrawalId);
    // Two above the four-eyes threshold (50,000,000 rials), one below it, one of another customer.
    const [large1, large2, small] = [
      await ask(customer, 60_000_000n),
      await ask(customer, 70_000_000n),
      await ask(customer, 1_000_000n),
    ];
    const others = await ask(other, 2_000_000n);
    const ours = [large1, large2, small, others];
    const shown = (html: string) => listed(html, ours);

    await t.step(
      "the queue lists requests that open a detail page, with no decision forms inline",
      async () => {
        const html = await (await first.client.get("/admin/withdrawals")).text();
        for (const id of [large1, large2, small, others]) {
          assertStringIncludes(html, `href="/admin/withdrawals/${id}"`);
        }
        assert(!html.includes('/approve"'), "no approve form in the list");
        assert(html.includes(`form="withdrawals-bulk"`), "rows are ticked for the bulk form");
        const detail = await first.client.get(`/admin/withdrawals/${large1}`);
        assertEquals(detail.status, 200);
        const page = await detail.text();
        assertStringIncludes(page, `action="/admin/withdrawals/${large1}/approve"`);
        assertStringIncludes(page, `action="/admin/withdrawals/${large1}/reject"`);
        assertEquals((await first.client.get("/admin/withdrawals/999999999")).status, 404);
      },
    );

    await t.step("filters: amount range in tomans, customer by email or id, status", async () => {
      const big = await (await first.client.get("/admin/withdrawals?status=pending&min=5000000")).text();
      assertEquals(shown(big), [large1, large2].sort());
      const range = await (await first.client.get("/admin/withdrawals?min=100000&max=۶۰۰۰۰۰۰")).text();
      assertEquals(shown(range), [large1, small, others].sort());
      const byEmail = await (await first.client.get(
        `/admin/withdrawals?user=${encodeURIComponent(other.email)}`,
      )).text();
      assertEquals(shown(byEmail), [others]);
      const byId = await (await first.client.get(`/admin/withdrawals?user=${customer.id}`)).text();
      assertEquals(shown(byId), [large1, large2, small].sort());
      const none = await (await first.client.get("/admin/withdrawals?status=approved")).text();
      assertEquals(shown(none), []);
    });

    await t.step("bulk approve: small ones are paid, large ones get a first approval only", async () => {
      const res = await bulk(first.client, [large1, large2, small], {
        action: "approve",
        bank_reference: "BATCH-7",
      });
      assertEquals(res.status, 303);
      const location = new URL(res.headers.get("location")!, stack.appUrl);
      assertEquals(
        [
          location.searchParams.get("paid"),
          location.searchParams.get("first"),
          location.searchParams.get("refused"),
        ],
        ["1", "2", null],
      );
      const page = await (await first.client.get(location.pathname + location.search)).text();
      assertStringIncludes(page, "Paid: 1. First approvals: 2. Rejected: 0.");
      assertEquals((await walletOf(customer.id)).held, 130_000_000n);
    });

    await t.step(
      "four eyes: the first approver's bulk approval of the same requests is refused",
      async () => {
        const res = await bulk(first.client, [large1, large2], {
          action: "approve",
          bank_reference: "BATCH-8",
        });
        assertEquals(res.status, 303);
        const location = new URL(res.headers.get("location")!, stack.appUrl);
        assertEquals(location.searchParams.get("paid"), "0");
        assertEquals(location.searchParams.get("refused"), `${large1}:same_approver,${large2}:same_approver`);
        const page = await (await first.client.get(location.pathname + location.search)).text();
        assertStringIncludes(page, "The second approval must come from another staff member.");
        assertEquals((await walletOf(customer.id)).held, 130_000_000n, "nothing was paid");
        // The detail page tells the first approver the second approval is someone else's.
        const detail = await (await first.client.get(`/admin/withdrawals/${large1}`)).text();
        assertStringIncludes(detail, "You gave the first approval");
        assert(!detail.includes(`/admin/withdrawals/${large1}/approve`));
      },
    );

    await t.step("another staff member gives the second approval; bulk reject needs a reason", async () => {
      const paid = await bulk(second.client, [large1], { action: "approve", bank_reference: "BATCH-9" });
      assertEquals(new URL(paid.headers.get("location")!, stack.appUrl).searchParams.get("paid"), "1");
      const noReason = await bulk(second.client, [large2], { action: "reject", reason: "" });
      assertEquals(noReason.status, 400);
      await noReason.body?.cancel();
      const nothing = await bulk(second.client, [], { action: "reject", reason: "not ours" });
      assertEquals(nothing.status, 400);
      await nothing.body?.cancel();
      const rejected = await bulk(second.client, [large2], { action: "reject", reason: "Name mismatch" });
      assertEquals(
        new URL(rejected.headers.get("location")!, stack.appUrl).searchParams.get("rejected"),
        "1",
      );
      const wallet = await walletOf(customer.id);
      assertEquals([wallet.balance, wallet.held], [200_000_000n - 61_000_000n, 0n]);
      const { rows } = await sql<{ action: string; actor_id: string }>`
        select action, actor_id::text from public.audit_log
        where metadata ->> 'withdrawal_id' = ${large1} order by id`.execute(db());
      assertEquals(rows, [
        { action: "withdrawals.first_approval", actor_id: first.id },
        { action: "withdrawals.approve", actor_id: second.id },
      ]);
    });

    await t.step("CSV export of the filtered list: ISO times and rials", async () => {
      const res = await first.client.get(`/admin/withdrawals/export.csv?status=all&user=${customer.id}`);
      assertEquals(res.status, 200);
      assertStringIncludes(res.headers.get("content-type") ?? "", "text/csv");
      const lines = (await res.text()).replace(/^\ufeff/, "").trim().split("\r\n");
      assertEquals(lines[0].split(",").slice(0, 5), ["id", "created_at", "user_id", "email", "amount_rial"]);
      assertEquals(lines.length, 4);
      const large = lines.find((line) => line.startsWith(`${large1},`))!;
      assertStringIncludes(large, ",60000000,");
      assertStringIncludes(large, ",approved,");
      const customerClient = await staff(stack, "user");
      assertEquals((await customerClient.client.get("/admin/withdrawals/export.csv")).status, 403);
    });
  });
});
