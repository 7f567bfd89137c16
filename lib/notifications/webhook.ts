/**
 * Provider delivery reports (functions/notifications-webhook): each is verified (Resend: Svix signature; Twilio:
 * X-Twilio-Signature over the exact callback URL; Kavenegar and SMS.ir: the secret token in the URL, since they
 * sign nothing) and then applied with notifications.record_status. A report that does not verify is refused
 * with 401 and changes nothing.
 */
import { sql } from "kysely";
import { type Database, db } from "../db/client.ts";
import type { NotificationSecrets } from "./settings.ts";
import { constantTimeEqual, verifySvix, verifyTwilio } from "./signatures.ts";

export type DeliveryStatus = "delivered" | "failed" | "bounced";

export interface Report {
  provider: "resend" | "twilio" | "kavenegar" | "smsir";
  messageId: string;
  status: DeliveryStatus;
  error?: string;
}

export type WebhookAnswer =
  | { ok: true; report: Report | null }
  | { ok: false; status: 400 | 401 | 404; reason: string };

const KAVENEGAR_DELIVERED = new Set(["10"]);
const KAVENEGAR_FAILED = new Set(["6", "11", "13", "14"]);

/**
 * A Kavenegar message status (spec §3.5) as a final outcome: 10 delivered; 6 failed, 11 undelivered, 13
 * cancelled, 14 blocked are failures; anything else (1 queued, 2 scheduled, 4/5 at the operator, 100) is not final.
 */
export function kavenegarOutcome(status: string | number): "delivered" | "failed" | null {
  const code = String(status);
  return KAVENEGAR_DELIVERED.has(code) ? "delivered" : KAVENEGAR_FAILED.has(code) ? "failed" : null;
}

function tokenMatches(expected: string | undefined, given: string | null): boolean {
  return !!expected && !!given && constantTimeEqual(expected, given);
}

/** Verifies and parses one webhook request (path is /resend, /twilio, /kavenegar or /smsir). */
export async function parseWebhook(
  request: Request,
  path: string,
  secrets: NotificationSecrets,
): Promise<WebhookAnswer> {
  const url = new URL(request.url);
  const raw = await request.text();
  switch (path) {
    case "/resend": {
      if (!secrets.resendWebhookSecret) {
        return { ok: false, status: 404, reason: "resend webhooks are not configured" };
      }
      const verified = await verifySvix(secrets.resendWebhookSecret, {
        id: request.headers.get("svix-id"),
        timestamp: request.headers.get("svix-timestamp"),
        signature: request.headers.get("svix-signature"),
      }, raw);
      if (!verified) return { ok: false, status: 401, reason: "bad signature" };
      let event: {
        type?: string;
        data?: { email_id?: string; bounce?: { type?: string; message?: string } };
      };
      try {
        event = JSON.parse(raw);
      } catch {
        return { ok: false, status: 400, reason: "not JSON" };
      }
      const id = event.data?.email_id;
      if (!id) return { ok: true, report: null };
      if (event.type === "email.delivered") {
        return { ok: true, report: { provider: "resend", messageId: id, status: "delivered" } };
      }
      if (event.type === "email.bounced") {
        const permanent = event.data?.bounce?.type === "Permanent";
        return {
          ok: true,
          report: {
            provider: "resend",
            messageId: id,
            status: permanent ? "bounced" : "failed",
            error: event.data?.bounce?.message ?? "bounced",
          },
        };
      }
      if (event.type === "email.failed" || event.type === "email.suppressed") {
        return {
          ok: true,
          report: { provider: "resend", messageId: id, status: "failed", error: event.type },
        };
      }
      return { ok: true, report: null };
    }
    case "/twilio": {
      if (!secrets.twilioAuthToken) {
        return { ok: false, status: 404, reason: "twilio webhooks are not configured" };
      }
      const params = new URLSearchParams(raw);
      const signedUrl = `${secrets.webhookUrl}/twilio${url.search}`;
      if (
        !await verifyTwilio(
          secrets.twilioAuthToken,
          signedUrl,
          params,
          request.headers.get("x-twilio-signature"),
        )
      ) {
        return { ok: false, status: 401, reason: "bad signature" };
      }
      const id = params.get("MessageSid");
      const status = params.get("MessageStatus");
      if (!id) return { ok: false, status: 400, reason: "MessageSid missing" };
      if (status === "delivered" || status === "read") {
        return { ok: true, report: { provider: "twilio", messageId: id, status: "delivered" } };
      }
      if (status === "undelivered" || status === "failed") {
        return {
          ok: true,
          report: {
            provider: "twilio",
            messageId: id,
            status: "failed",
            error: `${status} ${params.get("ErrorCode") ?? ""}`.trim(),
          },
        };
      }
      return { ok: true, report: null };
    }
    case "/kavenegar":
    case "/smsir": {
      const provider = path === "/kavenegar" ? "kavenegar" : "smsir";
      const expected = provider === "kavenegar" ? secrets.kavenegarWebhookToken : secrets.smsirWebhookToken;
      if (!tokenMatches(expected, url.searchParams.get("token"))) {
        return { ok: false, status: 401, reason: "bad token" };
      }
      const params = new URLSearchParams(raw);
      for (const [k, v] of url.searchParams) if (k !== "token" && !params.has(k)) params.set(k, v);
      const id = params.get("messageid");
      const status = params.get("status") ?? "";
      if (!id) return { ok: false, status: 400, reason: "messageid missing" };
      const delivered = provider === "kavenegar"
        ? kavenegarOutcome(status) === "delivered"
        : status === "delivered";
      const failed = provider === "kavenegar" ? kavenegarOutcome(status) === "failed" : status === "failed";
      if (delivered) return { ok: true, report: { provider, messageId: id, status: "delivered" } };
      if (failed) {
        return { ok: true, report: { provider, messageId: id, status: "failed", error: `status ${status}` } };
      }
      return { ok: true, report: null };
    }
    default:
      return { ok: false, status: 404, reason: "unknown provider" };
  }
}

/** One report, one statement on the server's own connection (SECURITY DEFINER, service_role only). */
async function applyOne(report: Report, database: Database): Promise<string | null> {
  const result = await sql<{ id: string | null }>`select notifications.record_status(${report.provider},
    ${report.messageId}, ${report.status}, ${report.error ?? null})::text as id`.execute(database);
  return result.rows[0]?.id ?? null;
}

interface Waiting {
  report: Report;
  resolve: (id: string | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Reports arrive one per message, as many as messages are sent. They are applied in groups: whatever arrived
 * while the previous group was being applied goes in one statement (one round trip and one commit instead of
 * one each). Each request is answered only after its group committed, so a provider that gets no 2xx sends
 * the report again. A group takes its rows in (provider, message id) order, so two groups never take rows in
 * opposite orders; if a group fails (a deadlock with complete(), a report the database refuses), each of its
 * reports is applied on its own and only the failing one gets the error. record_status keeps a report it cannot
 * apply yet (20261201010000), so a report applied in a group that races complete() is not lost either.
 */
export class ReportGroups {
  #waiting: Waiting[] = [];
  #running = false;
  /** Groups applied and reports in them (the bench prints them). */
  readonly stats = { groups: 0, reports: 0, fallbacks: 0 };

  constructor(readonly database: Database, readonly max = 500) {}

  apply(report: Report): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ report, resolve, reject });
      if (!this.#running) void this.#run();
    });
  }

  async #run() {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, this.max);
        this.stats.groups++;
        this.stats.reports += group.length;
        try {
          const ids = await this.#applyAll(group.map((w) => w.report));
          group.forEach((w, i) => w.resolve(ids[i]));
        } catch {
          this.stats.fallbacks++;
          await Promise.all(group.map((w) => applyOne(w.report, this.database).then(w.resolve, w.reject)));
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #applyAll(reports: Report[]): Promise<(string | null)[]> {
    if (reports.length === 1) return [await applyOne(reports[0], this.database)];
    const rows = reports.map((r, i) => ({
      i,
      p: r.provider,
      m: r.messageId,
      s: r.status,
      e: r.error ?? null,
    }));
    const result = await sql<{ i: number; id: string | null }>`
      select r.i, notifications.record_status(r.p, r.m, r.s, r.e)::text as id
      from (select * from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
              as x (i integer, p text, m text, s text, e text)
            order by x.p, x.m, x.i offset 0) r`.execute(this.database);
    const ids: (string | null)[] = reports.map(() => null);
    for (const row of result.rows) ids[row.i] = row.id;
    return ids;
  }
}

const groups = new WeakMap<Database, ReportGroups>();

/** The report groups of a database (one per pool). */
export function reportGroups(database: Database = db()): ReportGroups {
  let g = groups.get(database);
  if (!g) groups.set(database, g = new ReportGroups(database));
  return g;
}

/** Applies a verified report (grouped with the reports that arrive meanwhile); the outbox id it changed, or null. */
export function applyReport(report: Report, database: Database = db()): Promise<string | null> {
  return reportGroups(database).apply(report);
}
