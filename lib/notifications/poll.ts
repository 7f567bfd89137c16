/**
 * Delivery-status polling (functions/notifications-poll, driven by pg_cron every minute): SMS that Kavenegar or
 * SMS.ir accepted but that have no final status yet — their push is not configured, or it was lost — are asked
 * about in batches, and the final answers update the outbox through `notifications.record_status`, exactly as the
 * webhooks do (so a late push, or a poll after a push, changes nothing).
 *   - Kavenegar: `sms/status.json` with up to 500 `messageid`s per call (the API answers for 48 h; an unknown or
 *     older id is status 100, and is not asked about again); 10 delivered, 6 / 11 / 13 / 14 failed
 *     (shared/specs/messaging-providers.md §3.2, §3.5).
 *   - SMS.ir: REST v1 `GET /v1/send/{messageId}` (one id a call, `X-API-KEY`; the report of its official
 *     TypeScript client, `{status, message, data: {messageId, mobile, …, deliveryState, deliveryDateTime}}`);
 *     deliveryState 1 delivered, 2 not delivered to the handset; null (no report yet) and other states wait.
 */
import { sql } from "kysely";
import { asService, type Database, db } from "../db/client.ts";
import type { ProviderSettings } from "./providers.ts";
import { kavenegarOutcome } from "./webhook.ts";

export type PolledProvider = "kavenegar" | "smsir";

/** What a provider said about one message: final (delivered / failed), not yet, or it does not know it. */
export interface PollAnswer {
  status: "delivered" | "failed" | "pending" | "expired";
  /** The provider's own words, kept in the message's history (`kavenegar status 11`). */
  answer: string;
}

export interface StatusPoller {
  provider: PolledProvider;
  /** Ids per call the API takes. */
  maxBatch: number;
  /** Answers by provider message id; an id missing from the map had no answer (asked again later). */
  poll(ids: string[]): Promise<Map<string, PollAnswer>>;
}

/** Kavenegar `sms/status` (≤ 500 ids a call). A call that fails answers nothing: the ids are asked again later. */
export function kavenegarPoller(
  settings: NonNullable<ProviderSettings["kavenegar"]>,
  timeoutMs: number,
): StatusPoller {
  const base = settings.baseUrl.replace(/\/+$/, "");
  return {
    provider: "kavenegar",
    maxBatch: 500,
    async poll(ids) {
      const answers = new Map<string, PollAnswer>();
      const response = await fetch(`${base}/v1/${encodeURIComponent(settings.apiKey)}/sms/status.json`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
        body: new URLSearchParams({ messageid: ids.join(",") }),
        signal: AbortSignal.timeout(timeoutMs),
      }).catch(() => null);
      const body = await response?.json().catch(() => null) as
        | {
          return?: { status?: number };
          entries?: { messageid?: number | string; status?: number }[] | null;
        }
        | null;
      if (body?.return?.status !== 200 || !Array.isArray(body.entries)) return answers;
      for (const entry of body.entries) {
        if (entry.messageid === undefined || entry.status === undefined) continue;
        const answer = `kavenegar status ${entry.status}`;
        const outcome = kavenegarOutcome(entry.status);
        answers.set(String(entry.messageid), {
          status: outcome ?? (entry.status === 100 ? "expired" : "pending"),
          answer,
        });
      }
      return answers;
    },
  };
}

const SMSIR_DELIVERED = new Set([1]);
const SMSIR_FAILED = new Set([2]);

/** SMS.ir `GET /v1/send/{messageId}`, a few at a time. */
export function smsirPoller(
  settings: NonNullable<ProviderSettings["smsir"]>,
  timeoutMs: number,
  concurrency = 8,
): StatusPoller {
  const base = settings.baseUrl.replace(/\/+$/, "");
  const one = async (id: string): Promise<PollAnswer | null> => {
    const response = await fetch(`${base}/v1/send/${encodeURIComponent(id)}`, {
      headers: { Accept: "application/json", "X-API-KEY": settings.apiKey },
      signal: AbortSignal.timeout(timeoutMs),
    }).catch(() => null);
    if (!response) return null;
    const body = await response.json().catch(() => null) as
      | { status?: number; data?: { deliveryState?: number | null } | null }
      | null;
    if (!response.ok || body?.status !== 1 || !body.data) return null;
    const state = body.data.deliveryState ?? null;
    const answer = `smsir deliveryState ${state ?? "null"}`;
    if (state !== null && SMSIR_DELIVERED.has(state)) return { status: "delivered", answer };
    if (state !== null && SMSIR_FAILED.has(state)) return { status: "failed", answer };
    return { status: "pending", answer };
  };
  return {
    provider: "smsir",
    maxBatch: 100,
    async poll(ids) {
      const answers = new Map<string, PollAnswer>();
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++];
          const answer = await one(id);
          if (answer) answers.set(id, answer);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
      return answers;
    },
  };
}

/** The pollers of the configured providers. */
export function createPollers(settings: ProviderSettings): Partial<Record<PolledProvider, StatusPoller>> {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const pollers: Partial<Record<PolledProvider, StatusPoller>> = {};
  if (settings.kavenegar) pollers.kavenegar = kavenegarPoller(settings.kavenegar, timeoutMs);
  if (settings.smsir) pollers.smsir = smsirPoller(settings.smsir, timeoutMs);
  return pollers;
}

export interface PollOptions {
  database?: Database;
  pollers: Partial<Record<PolledProvider, StatusPoller>>;
  /** Messages per claim (default 500). */
  batch?: number;
  /** Poll a message only this long after it was accepted (default 120 s: most pushes come before). */
  minAgeSeconds?: number;
  /** Kavenegar's `sms/status` answers for 48 h (default 48 h). */
  maxAgeSeconds?: number;
  /** Stop claiming after this long (default 50 s: a pg_cron minute). */
  budgetMs?: number;
  /** Poll only these outbox rows (tests that share a database). */
  onlyIds?: string[];
  signal?: AbortSignal;
}

export interface PollReport {
  polled: number;
  delivered: number;
  failed: number;
  pending: number;
  expired: number;
  /** Messages whose final status this run applied (a webhook may have been first). */
  changed: number;
}

interface Claimed {
  id: string;
  provider: PolledProvider;
  provider_message_id: string;
}

/** Claims due polls, asks the providers, applies the answers; until nothing is due or the budget is spent. */
export async function pollDeliveryStatus(options: PollOptions): Promise<PollReport> {
  const database = options.database ?? db();
  const batch = options.batch ?? 500;
  const deadline = Date.now() + (options.budgetMs ?? 50_000);
  const report: PollReport = { polled: 0, delivered: 0, failed: 0, pending: 0, expired: 0, changed: 0 };
  while (Date.now() < deadline && !options.signal?.aborted) {
    const claimed = await asService(
      async (tx) =>
        (await sql<Claimed>`select id::text, provider, provider_message_id
        from notifications.claim_polls(${batch}, ${options.minAgeSeconds ?? 120}, ${
          options.maxAgeSeconds ?? 172_800
        }, ${options.onlyIds ?? null}::bigint[])`.execute(tx)).rows,
      database,
    );
    if (claimed.length === 0) break;
    const results: (Claimed & PollAnswer)[] = [];
    for (const provider of ["kavenegar", "smsir"] as const) {
      const rows = claimed.filter((r) => r.provider === provider);
      const poller = options.pollers[provider];
      if (!poller || rows.length === 0) continue;
      for (let i = 0; i < rows.length; i += poller.maxBatch) {
        const part = rows.slice(i, i + poller.maxBatch);
        const answers = await poller.poll(part.map((r) => r.provider_message_id));
        for (const row of part) {
          const answer = answers.get(row.provider_message_id);
          if (answer) results.push({ ...row, ...answer });
        }
      }
    }
    report.polled += claimed.length;
    for (const r of results) report[r.status]++;
    if (results.length > 0) {
      const changed = await asService(
        async (tx) =>
          (await sql<{ n: number }>`select notifications.apply_polls(${
            JSON.stringify(results)
          }::text::jsonb) as n`.execute(tx)).rows[0].n,
        database,
      );
      report.changed += changed;
    }
    if (claimed.length < batch) break;
  }
  return report;
}
