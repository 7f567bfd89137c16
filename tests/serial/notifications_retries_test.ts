/**
 * Retries and claiming against the stand-ins (issue 15, "the pipeline"): a permanent error (an invalid number or
 * address) is dead at once, with no failover; a provider pair that keeps failing makes a message dead after its
 * 8th attempt, each retry later than the one before; two dispatchers working at once never send the same row
 * (FOR UPDATE SKIP LOCKED), counted by outbox id at the stand-in.
 */
import { assert, assertEquals } from "@std/assert";
import { sql } from "kysely";
import { dispatch, type DispatchOptions } from "../../lib/notifications/dispatch.ts";
import { db } from "../_support/db.ts";
import { type NotifyHarness, standInControl, withNotifyHarness } from "../_support/notify_harness.ts";

const FAST = { firstRetryMs: 30, pollMs: 20, leaseSeconds: 30 };

/** Outbox rows made directly (no user): the dispatcher only needs channel, recipient, event, data. */
async function rows(channel: "email" | "sms", recipients: string[]): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`insert into public.notification_outbox
      (category, channel, recipient, event, locale, data, critical)
    select 'security', ${channel}, r, 'security.password_changed', 'en', '{}'::jsonb, true
    from unnest(${recipients}::text[]) r returning id::text`.execute(db());
  return rows.map((r) => r.id);
}

interface State {
  id: string;
  status: string;
  attempts: number;
  provider: string | null;
}

async function states(ids: string[]): Promise<State[]> {
  return (await sql<State>`select id::text, status, attempts, provider from public.notification_outbox
    where id = any(${ids}::bigint[]) order by id`.execute(db())).rows;
}

/** Dispatches these rows until none waits (or 30 s pass). */
async function settle(h: NotifyHarness, ids: string[], extra: Partial<DispatchOptions> = {}) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await dispatch({ providers: h.providers, ...FAST, budgetMs: 2_000, onlyIds: ids, ...extra });
    if ((await states(ids)).every((r) => !["queued", "sending"].includes(r.status))) return;
    await new Promise((r) => setTimeout(r, 30));
  }
}

async function capturedTimes(ids: string[]): Promise<Map<string, number>> {
  const { rows } = await sql<
    { id: string; n: number }
  >`select metadata ->> 'outbox_id' as id, count(*)::int as n
    from _dev.outbox where metadata ->> 'outbox_id' = any(${ids}::text[]) group by 1`.execute(db());
  return new Map(rows.map((r) => [r.id, r.n]));
}

Deno.test("[notifications retries] a permanent error is dead at once, without a retry or a failover", async () => {
  await withNotifyHarness(async (h) => {
    const [badNumber] = await rows("sms", ["+98123"]);
    const [badAddress] = await rows("email", ["not-an-address"]);
    await settle(h, [badNumber, badAddress]);
    assertEquals((await states([badNumber, badAddress])).map((r) => [r.status, r.attempts, r.provider]), [
      ["dead", 1, "kavenegar"],
      ["dead", 1, "resend"],
    ]);
    const { rows: tried } = await sql<{ provider: string; outcome: string }>`select provider, outcome
      from public.notification_attempts where outbox_id = any(${[
      badNumber,
      badAddress,
    ]}::bigint[]) order by id`
      .execute(db());
    assertEquals(tried.map((t) => `${t.provider}:${t.outcome}`).sort(), [
      "kavenegar:permanent",
      "resend:permanent",
    ]);
  });
});

Deno.test("[notifications retries] when every provider keeps failing, a message is dead after its 8th attempt, each retry later than the last", async () => {
  await withNotifyHarness(async (h) => {
    await standInControl(h, "kavenegar", "faults", { failure_rate: 0, down: true });
    await standInControl(h, "smsir", "faults", { failure_rate: 0, down: true });
    const [id] = await rows("sms", ["+989121110000"]);
    await settle(h, [id]);
    assertEquals((await states([id])).map((r) => [r.status, r.attempts]), [["dead", 8]]);
    // One claim per attempt; the gaps between attempts grow (10 s · 2^(n−1) ± 20 % in production, 30 ms here).
    const { rows: attempts } = await sql<
      { attempt: number; at: string }
    >`select attempt, min(created_at)::text as at
      from public.notification_attempts where outbox_id = ${id}::bigint group by attempt order by attempt`
      .execute(db());
    assertEquals(attempts.map((a) => a.attempt), [1, 2, 3, 4, 5, 6, 7, 8]);
    const times = attempts.map((a) => new Date(a.at).getTime());
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    assert(gaps[6] > gaps[0], `the last gap (${gaps[6]} ms) is longer than the first (${gaps[0]} ms)`);
    assert((await capturedTimes([id])).size === 0, "nothing was accepted");
    await sql`update notifications.circuits set failures = 0, opened_until = null`.execute(db());
  });
});

Deno.test("[notifications retries] two dispatchers at once never send the same row", async () => {
  await withNotifyHarness(async (h) => {
    const ids = await rows(
      "email",
      Array.from({ length: 40 }, (_, n) => `twin-${n}-${crypto.randomUUID()}@example.com`),
    );
    const twin = (worker: string) =>
      dispatch({ providers: h.providers, ...FAST, budgetMs: 5_000, batch: 4, onlyIds: ids, worker });
    const [a, b] = await Promise.all([twin("twin-a"), twin("twin-b")]);
    assertEquals(a.claimed + b.claimed, 40, `a claimed ${a.claimed}, b claimed ${b.claimed}`);
    assert(a.claimed > 0 && b.claimed > 0, `both worked: ${a.claimed} + ${b.claimed}`);
    await h.state.flushed();
    const captured = await capturedTimes(ids);
    for (const id of ids) assertEquals(captured.get(id), 1, `outbox ${id}`);
    assertEquals(h.state.stats("resend").duplicates, 0);
  });
});
