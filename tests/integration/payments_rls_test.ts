import { assertEquals, assertRejects } from "@std/assert";
import { sql } from "kysely";
import { type Claims, type Tx } from "../../lib/db/client.ts";
import { anonClaims, asService, asUser, createUser, db } from "../_support/db.ts";
import { withPayments } from "../_support/payments.ts";

const visiblePayments = async (claims: Claims, ids: string[]) =>
  (await asUser(
    claims,
    (tx) =>
      sql<{ id: string }>`select id::text from public.payments where id = any(${ids}::bigint[]) order by id`
        .execute(tx),
  )).rows.map((r) => r.id);

const visibleEvents = async (claims: Claims, id: string) =>
  (await asUser(
    claims,
    (tx) =>
      sql<{ n: number }>`select count(*)::int as n from public.payment_events where payment_id = ${id}`
        .execute(tx),
  )).rows[0].n;

Deno.test("[payments rls] owner, stranger and staff — each sees exactly the payments and events they may", async () => {
  await withPayments(async (h) => {
    const [alice, bob] = [await h.user("alice"), await h.user("bob")];
    const finance = await createUser("finance", { role: "finance" });
    const agent = await createUser("agent", { role: "agent" });
    const a = await h.start(alice);
    const b = await h.start(bob);
    const ids = [a.paymentId, b.paymentId];
    assertEquals(await visiblePayments(alice.claims, ids), [a.paymentId]);
    assertEquals(await visiblePayments(bob.claims, ids), [b.paymentId]);
    assertEquals(await visiblePayments(finance.claims, ids), ids);
    assertEquals(await visiblePayments(agent.claims, ids), []);
    assertEquals(await visibleEvents(alice.claims, a.paymentId), 1);
    assertEquals(await visibleEvents(bob.claims, a.paymentId), 0);
    assertEquals(await visibleEvents(agent.claims, a.paymentId), 0);
    assertEquals(await visibleEvents(finance.claims, a.paymentId), 1);
    await assertRejects(() => visiblePayments(anonClaims, ids), "permission denied");
  });
});

Deno.test("[payments rls] direct writes — nobody inserts, updates or deletes payments except through the functions", async () => {
  await withPayments(async (h) => {
    const alice = await h.user("alice");
    const finance = await createUser("finance", { role: "finance" });
    const { paymentId } = await h.start(alice, 40_000n);
    const writes: ((tx: Tx) => Promise<unknown>)[] = [
      (tx) => sql`update public.payments set status = 'verified' where id = ${paymentId}`.execute(tx),
      (tx) => sql`update public.payments set amount = 1 where id = ${paymentId}`.execute(tx),
      (tx) => sql`delete from public.payments where id = ${paymentId}`.execute(tx),
      (tx) =>
        sql`insert into public.payments (user_id, merchant_key, amount, description, expires_at)
            values (${alice.id}, '0123456789abcdef', 1, 'x', now())`.execute(tx),
      (tx) =>
        sql`insert into public.payment_events (payment_id, kind) values (${paymentId}, 'verify')`.execute(tx),
      (tx) => sql`delete from public.payment_events where payment_id = ${paymentId}`.execute(tx),
    ];
    for (const write of writes) {
      for (
        const run of [
          (fn: typeof write) => asUser(alice.claims, fn),
          (fn: typeof write) => asUser(finance.claims, fn),
          asService,
        ]
      ) {
        await assertRejects(() => run(write), "permission denied");
      }
    }
    const settlement = (tx: Tx) => sql`select * from payments.settle(${paymentId}, 40000)`.execute(tx);
    await assertRejects(() => asUser(alice.claims, settlement), "permission denied");
    await assertRejects(() => asUser(finance.claims, settlement), "permission denied");
    assertEquals((await h.payment(paymentId)).status, "pending");
  });
});

Deno.test("[payments rls] analysts — read the payments views; API roles cannot", async () => {
  await withPayments(async (h) => {
    const alice = await h.user("alice");
    await h.callback(await h.press((await h.start(alice, 70_000n)).redirectUrl, "pay"));
    const views = ["payments_daily", "payments_conversion", "payments_fees"];
    await db().transaction().execute(async (tx) => {
      await sql`set local role analyst`.execute(tx);
      for (const view of views) await sql`select * from ${sql.table(`analytics.${view}`)}`.execute(tx);
      const { rows } = await sql<{ paid: string }>`
        select sum(paid)::text as paid from analytics.payments_conversion`.execute(tx);
      assertEquals(Number(rows[0].paid) >= 1, true);
      await assertRejects(() => sql`select 1 from public.payments limit 1`.execute(tx), "permission denied");
    });
    for (const view of views) {
      await assertRejects(
        () => asUser(alice.claims, (tx) => sql`select * from ${sql.table(`analytics.${view}`)}`.execute(tx)),
        "permission denied",
      );
    }
  });
});
