/**
 * Four eyes from the app's side: a large adjustment becomes a request another staff member decides, a large
 * withdrawal needs two approvals, and every step lands in the audit log with who did it. The thresholds are
 * the database's defaults (50,000,000 rials), so nothing here changes settings other tests share.
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { asService, asUser, createUser, db } from "../_support/db.ts";
import { fund, key, randomIban, rejectsWith, walletOf } from "../_support/ledger.ts";
import { assertLedgerInvariants } from "../_support/invariants.ts";
import { adjustOrRequest, decideAdjustment, pendingAdjustmentRequests } from "../../lib/wallet/approvals.ts";
import { approveWithdrawalAudited } from "../../lib/wallet/staff_actions.ts";
import { requestWithdrawal } from "../../lib/wallet/withdrawals.ts";

const LARGE = 60_000_000n;
const context = { ip: "127.0.0.1", userAgent: "four-eyes-test", requestId: "four-eyes" };

async function auditTrail(target: string) {
  const { rows } = await sql<{ action: string; actor_id: string }>`
    select action, actor_id from public.audit_log where target_id = ${target} order by id`.execute(db());
  return rows.map((r) => [r.action, r.actor_id]);
}

Deno.test("[four eyes] adjustment — above the threshold it waits for a second staff member, audited twice", async () => {
  const [first, second, carol] = [
    await createUser("fe-fin1", { role: "finance" }),
    await createUser("fe-fin2", { role: "finance" }),
    await createUser("fe-carol"),
  ];
  const input = {
    userId: carol.id,
    amount: LARGE,
    reason: "compensation for an outage",
    idempotencyKey: key(),
  };
  const outcome = await adjustOrRequest(first.claims, input, context);
  assert(!outcome.posted, "a large adjustment is not posted by one staff member");
  assertEquals((await walletOf(carol.id)).balance, 0n);
  const pending = await asUser(second.claims, (tx) => pendingAdjustmentRequests(tx));
  const request = pending.find((r) => r.id === outcome.requestId);
  assertEquals([request?.amount, request?.requestedBy, request?.userEmail], [LARGE, first.id, carol.email]);

  await rejectsWith(
    () => decideAdjustment(first.claims, { requestId: outcome.requestId, approve: true }, context),
    "same_approver",
  );
  await decideAdjustment(second.claims, { requestId: outcome.requestId, approve: true }, context);
  assertEquals((await walletOf(carol.id)).balance, LARGE);
  assertEquals(await auditTrail(carol.id), [
    ["wallet.adjustment_requested", first.id],
    ["wallet.adjustment_approved", second.id],
  ]);

  const small = await adjustOrRequest(
    first.claims,
    { ...input, amount: 1_000n, idempotencyKey: key() },
    context,
  );
  assert(small.posted, "a small adjustment is posted at once");
  await rejectsWith(
    () => adjustOrRequest(first.claims, { ...input, userId: first.id, idempotencyKey: key() }, context),
    "self_adjustment",
  );
  await assertLedgerInvariants();
});

Deno.test("[four eyes] withdrawal — a large one is paid only on a second, different approval", async () => {
  const [first, second, dave] = [
    await createUser("fe-fin3", { role: "finance" }),
    await createUser("fe-fin4", { role: "finance" }),
    await createUser("fe-dave"),
  ];
  await fund(dave.id, LARGE);
  const { withdrawalId } = await asUser(
    dave.claims,
    (tx) => requestWithdrawal(tx, { amount: LARGE, iban: randomIban(), idempotencyKey: key() }),
  );
  const approve = (who: typeof first) =>
    approveWithdrawalAudited(who.claims, { withdrawalId, bankReference: "PAYA-77" }, context);
  assertEquals(await approve(first), { paid: false });
  await rejectsWith(() => approve(first), "same_approver");
  const paid = await approve(second);
  assert(paid.paid);
  assertEquals((await walletOf(dave.id)).balance, 0n);
  assertEquals(await auditTrail(dave.id), [
    ["withdrawals.first_approval", first.id],
    ["withdrawals.approve", second.id],
  ]);
  const { rows } = await asService((tx) =>
    sql<{ first_approved_by: string; reviewed_by: string }>`
      select first_approved_by, reviewed_by from ledger.withdrawals where id = ${withdrawalId}::bigint`
      .execute(tx)
  );
  assertEquals(rows[0], { first_approved_by: first.id, reviewed_by: second.id });
  await assertLedgerInvariants();
});
