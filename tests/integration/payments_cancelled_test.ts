/** Cancelled and failed payments are two statuses: the state machine, the staff filter, the pages. */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, asUser, createUser, db } from "../_support/db.ts";
import { balanceOf, withPayments } from "../_support/payments.ts";
import { closePayment } from "../../lib/payments/store.ts";
import { initiatePayment } from "../../lib/payments/initiate.ts";
import { listForStaff } from "../../lib/payments/queries.ts";
import { displayStatus } from "../../components/payments/parts.tsx";

Deno.test("[payments cancelled] the payer's cancel is `cancelled`, a gateway failure `failed`; two filters", async (t) => {
  await withPayments(async (h) => {
    const user = await h.user();
    const finance = await createUser("Finance", { role: "finance" });
    // The payer presses Cancel at Zarinpal: the callback says NOK and verify answers -51.
    const cancelled = await h.start(user);
    await (await h.callback(await h.press(cancelled.redirectUrl, "cancel"))).body?.cancel();
    // The gateway's own FAILED (the callback says OK): a real failure.
    const failed = await h.start(user);
    h.control.fail(failed.authority);
    const url = new URL(h.control.session(failed.authority)!.callbackUrl);
    url.searchParams.set("Authority", failed.authority);
    url.searchParams.set("Status", "OK");
    await (await h.callback(url.href)).body?.cancel();

    await t.step("statuses", async () => {
      const [c, f] = [await h.payment(cancelled.paymentId), await h.payment(failed.paymentId)];
      assertEquals([c.status, c.failureReason, c.failureCode], ["cancelled", "cancelled", -51]);
      assertEquals([f.status, f.failureReason], ["failed", "gateway_refused"]);
      assertEquals([displayStatus(c), displayStatus(f)], ["cancelled", "failed"]);
      assertEquals(await balanceOf(user.id), 0n);
    });

    await t.step("the staff filter: status=cancelled and status=failed list different payments", async () => {
      const list = (status: "cancelled" | "failed") =>
        asUser(finance.claims, (tx) => listForStaff(tx, { q: user.email, status }));
      assertEquals((await list("cancelled")).items.map((p) => p.id), [cancelled.paymentId]);
      assertEquals((await list("failed")).items.map((p) => p.id), [failed.paymentId]);
    });

    await t.step(
      "the state machine: cancelled is final, and only the payer's cancel is `cancelled`",
      async () => {
        const refused = (query: Promise<unknown>) =>
          query.then(() => "accepted", (e: Error & { code?: string }) => e.code ?? e.message);
        assertEquals(
          await refused(sql`update public.payments set status = 'verified' where id = ${cancelled.paymentId}`
            .execute(db())),
          "PY002",
        );
        const other = await h.start(user);
        assertEquals(
          await refused(
            asService((tx) => closePayment(tx, other.paymentId, "cancelled", { reason: "expired" })),
          ),
          "PY002",
        );
        assertEquals(
          await refused(
            asService((tx) => closePayment(tx, other.paymentId, "failed", { reason: "cancelled" })),
          ),
          "PY002",
        );
        // Money verified after the cancel is handed to finance, never credited.
        const { rows } = await sql<{ outcome: string }>`select outcome from payments.settle(
        ${cancelled.paymentId}::bigint, ${(await h.payment(cancelled.paymentId)).amount}::bigint)`.execute(
          db(),
        );
        assertEquals(rows[0].outcome, "flagged");
        assertEquals((await h.payment(cancelled.paymentId)).status, "cancelled");
        assertEquals(await balanceOf(user.id), 0n);
      },
    );

    await t.step("the analytics funnel counts them apart", async () => {
      const { rows } = await sql<{ cancelled: string; failed: string }>`
        select sum(cancelled)::text as cancelled, sum(failed)::text as failed from analytics.payments_conversion`
        .execute(db());
      assert(Number(rows[0].cancelled) >= 1 && Number(rows[0].failed) >= 1, JSON.stringify(rows[0]));
    });
  });
});

Deno.test("[payments description] Zarinpal is asked in the payer's language: Persian for fa users", async () => {
  await withPayments(async (h) => {
    const user = await h.user();
    const described = async (locale?: "fa" | "en") => {
      const started = await initiatePayment(h.ctx, user.claims, { amount: 50_000n, locale });
      assert(started.ok);
      return [
        h.control.session(started.authority)!.description,
        (await h.payment(started.paymentId)).description,
      ];
    };
    assertEquals(await described("fa"), ["افزایش موجودی کیف پول پیشخوان", "افزایش موجودی کیف پول پیشخوان"]);
    assertEquals(await described("en"), ["Pishkhan wallet top-up", "Pishkhan wallet top-up"]);
    assertEquals(
      (await described())[0],
      "افزایش موجودی کیف پول پیشخوان",
      "Persian when the language is unknown",
    );
  });
});
