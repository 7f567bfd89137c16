/**
 * Test helper (not a test): the codes Auth's Send SMS hook queued, read from the notifications outbox
 * (public.notification_outbox, docs/notifications.md) as the dispatcher would send them.
 */
import { sql } from "kysely";
import { db } from "./db.ts";

let counter = 0;
/** A fresh Iranian mobile number as E.164 (+98 912 …), unique in this run. */
export function uniqueMobile(): string {
  const n = (Date.now() % 1_000_000) * 10 + (++counter % 10);
  return `+98912${String(n).padStart(7, "0").slice(-7)}`;
}

export interface QueuedSms {
  id: number;
  body: string;
  code: string;
  critical: boolean;
}

/**
 * The SMS Auth's hook queued in the notifications outbox for `e164` (newest first), with the code each carries;
 * other SMS to the number (security notices such as a new sign-in) are left out.
 */
export async function smsTo(e164: string): Promise<QueuedSms[]> {
  const { rows } = await sql<{ id: number; body: string; critical: boolean }>`
    select id, data ->> 'body' as body, critical from public.notification_outbox
    where channel = 'sms' and event = 'raw.sms' and recipient = ${e164}
    order by id desc`.execute(db());
  return rows.map((r) => ({
    id: Number(r.id),
    body: r.body,
    critical: r.critical,
    code: r.body.match(/\b\d{6}\b/)?.[0] ?? "",
  }));
}

/** The newest code sent to `e164` after outbox id `after`; waits briefly for it. */
export async function smsCode(e164: string, after = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const [latest] = (await smsTo(e164)).filter((m) => m.id > after);
    if (latest?.code) return latest.code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no SMS code reached ${e164}`);
}

/** The newest outbox id for `e164` (0 when none). */
export async function lastSmsId(e164: string): Promise<number> {
  return (await smsTo(e164))[0]?.id ?? 0;
}
