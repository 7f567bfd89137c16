import { assert, assertEquals, assertRejects } from "@std/assert";
import { asUser, createUser } from "../_support/db.ts";
import { listForStaff, listMyPayments } from "../../lib/payments/queries.ts";
import { requestErrors } from "../../lib/errors.ts";
import { withPayments } from "../_support/payments.ts";

Deno.test("[payments queries] history — the owner's payments page newest first; a foreign cursor is refused", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const ids = [];
    for (const amount of [10_000n, 20_000n, 30_000n]) ids.push((await h.start(user, amount)).paymentId);
    const first = await asUser(user.claims, (tx) => listMyPayments(tx, { pageSize: 2 }));
    assertEquals(first.items.map((p) => p.id), [ids[2], ids[1]]);
    assert(first.next);
    const second = await asUser(user.claims, (tx) => listMyPayments(tx, { pageSize: 2, cursor: first.next }));
    assertEquals(second.items.map((p) => p.amount), [10_000n]);
    assertEquals(second.next, undefined);
    const error = await assertRejects(() =>
      asUser(user.claims, (tx) => listMyPayments(tx, { cursor: "bogus!" }))
    );
    assert(requestErrors.is(error, "invalid_cursor"));
  });
});

Deno.test("[payments queries] staff list — filters by email, payment id and status; empty without payments.view", async () => {
  await withPayments(async (h) => {
    const [payer, other] = [await h.user("payer"), await h.user("other")];
    const finance = await createUser("finance", { role: "finance" });
    const paid = await h.start(payer, 50_000n);
    await h.callback(await h.press(paid.redirectUrl, "pay"));
    const open = await h.start(payer, 60_000n);
    await h.start(other, 70_000n);
    const staff = (filter: Parameters<typeof listForStaff>[1], claims = finance.claims) =>
      asUser(claims, (tx) => listForStaff(tx, filter)).then((page) => page.items.map((p) => p.id));
    assertEquals(await staff({ q: payer.email }), [open.paymentId, paid.paymentId]);
    assertEquals(await staff({ q: payer.email, status: "verified" }), [paid.paymentId]);
    assertEquals(await staff({ q: paid.paymentId }), [paid.paymentId]);
    assertEquals(await staff({ q: open.authority }), [open.paymentId]);
    assertEquals(await staff({ q: payer.email }, payer.claims), []);
  });
});
