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

/**
 * Applies a verified report; returns the outbox id it changed, or null. One statement on the server's own
 * connection (the function is SECURITY DEFINER and executable by service_role only): no transaction of four
 * round trips per report, since reports arrive one per message.
 */
export async function applyReport(report: Report, database: Database = db()): Promise<string | null> {
  const result = await sql<{ id: string | null }>`select notifications.record_status(${report.provider},
    ${report.messageId}, ${report.status}, ${report.error ?? null})::text as id`.execute(database);
  return result.rows[0]?.id ?? null;
}
