/**
 * Four eyes in the staff pages: a large adjustment typed by one finance user waits on /admin/approvals until
 * a second one approves it; a large withdrawal is paid only on a second staff member's approval.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { fund, randomIban, walletOf } from "../_support/ledger.ts";
import { asUser, createUser } from "../_support/db.ts";
import { requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { staff, withStack } from "./auth_http_client.ts";

// 6,000,000 tomans = 60,000,000 rials: above the default four-eyes threshold of 50,000,000 rials.
const LARGE_TOMANS = "6000000";

Deno.test("[admin four eyes] adjustment — one finance user requests, the other approves on /admin/approvals", async () => {
  await withStack(async (stack) => {
    const [first, second] = [await staff(stack, "finance"), await staff(stack, "finance")];
    const customer = await createUser("fe-customer");
    const base = `/admin/wallets/${customer.id}`;
    const form = { tomans: LARGE_TOMANS, reason: "outage compensation", key: crypto.randomUUID() };
    const asked = await first.client.post(`${base}/adjust`, form);
    assertEquals([asked.status, asked.headers.get("location")], [303, `${base}?notice=requested`]);
    assertEquals((await walletOf(customer.id)).balance, 0n);

    const own = await (await first.client.get("/admin/approvals")).text();
    assertStringIncludes(own, "Waiting for another staff member");
    const list = await (await second.client.get("/admin/approvals")).text();
    const id = list.match(/\/admin\/approvals\/adjustments\/(\d+)\/approve/)![1];
    const refused = await first.client.post(`/admin/approvals/adjustments/${id}/approve`, {});
    assertEquals(refused.status, 403);
    assertStringIncludes(await refused.text(), "another staff member");
    const approved = await second.client.post(`/admin/approvals/adjustments/${id}/approve`, {});
    assertEquals(approved.headers.get("location"), "/admin/approvals?notice=approved");
    assertEquals((await walletOf(customer.id)).balance, 60_000_000n);

    const self = await first.client.post(`/admin/wallets/${first.id}/adjust`, {
      ...form,
      key: crypto.randomUUID(),
    });
    assertEquals(self.status, 422);
    assertStringIncludes(await self.text(), "Nobody may adjust their own wallet.");
  });
});

Deno.test("[admin four eyes] withdrawal — the first approval pays nothing, the same person cannot give the second", async () => {
  await withStack(async (stack) => {
    const [first, second] = [await staff(stack, "finance"), await staff(stack, "finance")];
    const customer = await createUser("fe-payee");
    await fund(customer.id, 60_000_000n);
    const { withdrawalId } = await asUser(
      customer.claims,
      (tx) =>
        requestWithdrawal(tx, {
          amount: 60_000_000n,
          iban: randomIban(),
          idempotencyKey: crypto.randomUUID(),
        }),
    );
    const approve = (who: typeof first) =>
      who.client.post(`/admin/withdrawals/${withdrawalId}/approve`, { bank_reference: "PAYA-1" });

    const once = await approve(first);
    assertEquals(once.headers.get("location"), `/admin/withdrawals?notice=first_approval&id=${withdrawalId}`);
    assertEquals((await walletOf(customer.id)).held, 60_000_000n);
    assertStringIncludes(
      await (await second.client.get("/admin/withdrawals")).text(),
      `Approved once by ${first.email}`,
    );
    const again = await approve(first);
    assertEquals(again.status, 403);
    await again.body?.cancel();
    const paid = await approve(second);
    assertEquals(paid.headers.get("location"), `/admin/withdrawals?notice=approved&id=${withdrawalId}`);
    assertEquals((await walletOf(customer.id)).balance, 0n);
  });
});
