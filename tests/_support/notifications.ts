/** Notification helpers for tests: a transfer whose transfer.received notice is made, and outbox rows. */
import { sql } from "kysely";
import { asService, db } from "../../lib/db/client.ts";
import { postTransfer } from "../../lib/wallet/transfers.ts";
import { key } from "./ledger.ts";

/**
 * Moves `amount` rials from one user to another and makes the recipient's transfer.received notice: through
 * part 1's `notifications.expand_ledger_events()` (what its dispatcher and cron run) once that is in the
 * schema, otherwise with `notifications.emit` exactly as that hook calls it.
 */
export async function transferWithNotice(
  fromUserId: string,
  toUserId: string,
  amount: bigint,
  sender: string,
) {
  const { transactionId } = await asService((tx) =>
    postTransfer(tx, { fromUserId, toUserId, amount, idempotencyKey: key("transfer") })
  );
  await asService(async (tx) => {
    const { rows: [{ hook }] } = await sql<{ hook: string | null }>`
      select to_regprocedure('notifications.expand_ledger_events(integer)')::text as hook`.execute(tx);
    if (hook) await sql`select notifications.expand_ledger_events()`.execute(tx);
    else {
      await sql`select notifications.emit('transfer.received', ${toUserId}::uuid,
        jsonb_build_object('amount', ${String(amount)}::text, 'sender', ${sender}::text,
          'transaction_id', ${transactionId}::text), ${`transfer:${transactionId}`})`.execute(tx);
    }
  });
  return transactionId;
}

/** A user's outbox rows, oldest first. */
export async function outboxOf(userId: string) {
  return (await sql<
    { id: string; channel: string; event: string; status: string; data: Record<string, unknown> }
  >`
    select id::text, channel, event, status, data from public.notification_outbox where user_id = ${userId}
    order by id`.execute(db())).rows;
}

/** Gives a user a verified phone (as phone sign-up or verification would). */
export async function verifyPhone(userId: string, e164WithoutPlus: string) {
  await sql`update auth.users set phone = ${e164WithoutPlus}, phone_confirmed_at = now() where id = ${userId}`
    .execute(db());
}
