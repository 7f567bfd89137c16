/**
 * Messaging stand-ins on the gateway (docs/notifications.md; the contract is shared/specs/messaging-providers.md):
 *   /sandbox/resend      POST /emails (Bearer key, Idempotency-Key, Svix-signed webhooks back)
 *   /sandbox/twilio      POST /2010-04-01/Accounts/{sid}/Messages.json (form, basic auth; +98 → 21408;
 *                        status callbacks to the message's StatusCallback, signed with X-Twilio-Signature)
 *   /sandbox/kavenegar   /v1/{apikey}/sms/send.json (GET or POST form; localid deduplicates; delivery push),
 *                        /v1/{apikey}/sms/status.json (messageid CSV ≤ 500, 48 h) and
 *                        /v1/{apikey}/sms/statuslocalmessageid.json (localid CSV ≤ 500, 12 h): status 1 → 4/5 →
 *                        10 | 11 (or 6, 13, 14 when set), 100 for an unknown or expired id
 *   /sandbox/smsir       POST /v1/send/bulk (X-API-KEY; delivery push), GET /v1/send/{messageId} (the report)
 * and on each: POST /_control/faults {failure_rate, latency_ms?, down?, lose_reports?}, POST /_control/reset,
 * GET /_control/stats (messages accepted, distinct outbox ids, duplicates, reports lost); on the SMS ones also
 * POST /_control/lifecycle {sent_after_ms?, final_after_ms?, final_status?, clock_offset_ms?}. Accepted
 * messages land in _dev.outbox with metadata {outbox_id, provider_message_id}.
 */
import { type Context, Hono } from "hono";
import type postgres from "postgres";
import { z } from "zod";
import { config } from "../../lib/config.ts";
import { notificationSecrets, providerSettings } from "../../lib/notifications/settings.ts";
import { smsLength } from "../../lib/notifications/segments.ts";
import { signSvix, signTwilio } from "../../lib/notifications/signatures.ts";
import { type Lifecycle, type ProviderKey, SandboxState } from "./capture.ts";

const faultsBody = z.object({
  failure_rate: z.number().min(0).max(1),
  latency_ms: z.number().int().min(0).max(60_000).optional(),
  down: z.boolean().optional(),
  lose_reports: z.number().min(0).max(1).optional(),
}).strict();

const lifecycleBody = z.object({
  sent_after_ms: z.number().int().min(0).optional(),
  final_after_ms: z.number().int().min(0).optional(),
  final_status: z.number().int().optional(),
  clock_offset_ms: z.number().int().optional(),
}).strict();

function controlRoutes(app: Hono, state: SandboxState, provider: ProviderKey) {
  app.post("/_control/faults", async (c) => {
    const parsed = faultsBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
    state.faults.set(provider, {
      failure_rate: parsed.data.failure_rate,
      latency_ms: parsed.data.latency_ms ?? 0,
      down: parsed.data.down ?? false,
      lose_reports: parsed.data.lose_reports ?? 0,
    });
    return c.json({ ok: true, faults: state.faultsOf(provider) });
  });
  app.post("/_control/lifecycle", async (c) => {
    const parsed = lifecycleBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
    const lifecycle: Lifecycle = { ...state.lifecycleOf(provider), ...parsed.data };
    if (lifecycle.final_after_ms < lifecycle.sent_after_ms) {
      return c.json({ error: "final_after_ms must not be before sent_after_ms" }, 400);
    }
    state.lifecycles.set(provider, lifecycle);
    return c.json({ ok: true, lifecycle });
  });
  app.post("/_control/reset", (c) => {
    state.reset(provider);
    return c.json({ ok: true });
  });
  app.get("/_control/stats", async (c) => {
    await state.flushed();
    return c.json(state.stats(provider));
  });
}

/** An Iranian mobile in the forms the APIs take (09…, 9…, 989…, +989…) → +989…, else null. */
function iranianMobile(value: string): string | null {
  const digits = value.trim().replace(/^\+/, "");
  const m = /^(?:0098|98|0)?(9\d{9})$/.exec(digits);
  return m ? `+98${m[1]}` : null;
}

// Resend ------------------------------------------------------------------------------------------------
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const FROM = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;

function resendError(c: Context, status: number, name: string, message: string) {
  return c.json({ statusCode: status, name, message }, status as 400);
}

function resendApp(state: SandboxState): Hono {
  const app = new Hono();
  const idempotent = new Map<string, { hash: string; id: string }>();
  controlRoutes(app, state, "resend");
  app.post("/emails", async (c) => {
    const settings = providerSettings(config()).resend;
    const auth = c.req.header("authorization");
    if (!auth) return resendError(c, 401, "missing_api_key", "Missing API key in the authorization header.");
    if (!settings || auth !== `Bearer ${settings.apiKey}`) {
      return resendError(c, 403, "invalid_api_key", "API key is invalid.");
    }
    const raw = await c.req.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return resendError(c, 400, "validation_error", "The body must be JSON.");
    }
    const key = c.req.header("idempotency-key");
    if (key !== undefined && (key.length < 1 || key.length > 256)) {
      return resendError(c, 400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    const to = typeof body.to === "string" ? [body.to] : body.to;
    if (typeof body.from !== "string" || !FROM.test(body.from)) {
      return resendError(
        c,
        422,
        "invalid_from_address",
        "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
      );
    }
    if (
      !Array.isArray(to) || to.length < 1 || to.length > 50 ||
      !to.every((t) => typeof t === "string" && EMAIL.test(t))
    ) {
      return resendError(c, 422, "validation_error", "Invalid `to` field.");
    }
    if (typeof body.subject !== "string") {
      return resendError(c, 422, "missing_required_field", "Missing `subject` field.");
    }
    if (typeof body.html !== "string" && typeof body.text !== "string") {
      return resendError(c, 422, "missing_required_field", "Missing `html` or `text` field.");
    }
    if (key) {
      const seen = idempotent.get(key);
      if (seen && seen.hash !== raw) {
        return resendError(
          c,
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload.",
        );
      }
      if (seen) return c.json({ id: seen.id });
    }
    if (await state.injectFault("resend")) {
      return resendError(
        c,
        500,
        "application_error",
        "Internal server error. We are unable to process your request right now, please try again later.",
      );
    }
    const id = crypto.randomUUID();
    if (key) idempotent.set(key, { hash: raw, id });
    const headers = (body.headers ?? {}) as Record<string, string>;
    const outboxId = headers["X-Outbox-Id"] ?? (key?.startsWith("outbox-") ? key.slice(7) : null);
    state.capture({
      channel: "email",
      provider: "resend",
      recipient: (to as string[]).join(", "),
      sender: body.from,
      subject: body.subject,
      body_text: typeof body.text === "string" ? body.text : String(body.html),
      body_html: typeof body.html === "string" ? body.html : null,
      outbox_id: outboxId,
      provider_message_id: id,
    });
    const bounced = (to as string[]).some((t) => t.startsWith("bounced@"));
    const secrets = notificationSecrets(config());
    if (secrets.resendWebhookSecret && !state.loseReport("resend")) {
      const secret = secrets.resendWebhookSecret;
      state.callback(async () => {
        const event = {
          type: bounced ? "email.bounced" : "email.delivered",
          created_at: new Date().toISOString(),
          data: {
            email_id: id,
            created_at: new Date().toISOString(),
            from: body.from,
            to,
            subject: body.subject,
            ...(bounced
              ? {
                bounce: {
                  type: "Permanent",
                  subType: "General",
                  message: "The recipient's mailbox does not exist.",
                },
              }
              : {}),
          },
        };
        const payload = JSON.stringify(event);
        const svixId = `msg_${crypto.randomUUID()}`;
        const timestamp = Math.floor(Date.now() / 1000);
        return await fetch(`${secrets.webhookUrl}/resend`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "svix-id": svixId,
            "svix-timestamp": String(timestamp),
            "svix-signature": await signSvix(secret, svixId, timestamp, payload),
          },
          body: payload,
        });
      });
    }
    return c.json({ id });
  });
  return app;
}

// Twilio ------------------------------------------------------------------------------------------------
function twilioError(c: Context, status: number, code: number, message: string) {
  return c.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    status as 400,
  );
}

function rfc2822(date: Date): string {
  return date.toUTCString().replace("GMT", "+0000");
}

function twilioApp(state: SandboxState): Hono {
  const app = new Hono();
  controlRoutes(app, state, "twilio");
  app.post("/2010-04-01/Accounts/:sid/Messages.json", async (c) => {
    const settings = providerSettings(config()).twilio;
    const expected = settings ? `Basic ${btoa(`${settings.accountSid}:${settings.authToken}`)}` : null;
    if (
      !expected || c.req.header("authorization") !== expected || c.req.param("sid") !== settings!.accountSid
    ) {
      return twilioError(c, 401, 20003, "Authenticate");
    }
    const form = new URLSearchParams(await c.req.text());
    const rawTo = form.get("To") ?? "";
    const whatsapp = rawTo.startsWith("whatsapp:");
    const to = rawTo.replace(/^whatsapp:/, "");
    if (!/^\+[1-9]\d{7,14}$/.test(to)) {
      return twilioError(c, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    if (to.startsWith("+98")) {
      return twilioError(
        c,
        400,
        21408,
        `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
      );
    }
    if (!form.get("From") && !form.get("MessagingServiceSid")) {
      return twilioError(c, 400, 21603, "A 'From' phone number is required.");
    }
    const text = form.get("Body") ?? "";
    if (text.length > 1600) {
      return twilioError(c, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    }
    if (await state.injectFault("twilio")) return twilioError(c, 429, 20429, "Too Many Requests");
    const sid = `SM${crypto.randomUUID().replaceAll("-", "")}`;
    const callbackUrl = form.get("StatusCallback");
    const outboxId = callbackUrl ? new URL(callbackUrl).searchParams.get("outbox_id") : null;
    state.capture({
      channel: whatsapp ? "whatsapp" : "sms",
      provider: "twilio",
      recipient: to,
      sender: form.get("From"),
      subject: null,
      body_text: text,
      outbox_id: outboxId ?? form.get("X-Outbox-Id"),
      provider_message_id: sid,
    });
    if (callbackUrl && !state.loseReport("twilio")) {
      state.callback(async () => {
        const params = new URLSearchParams({
          MessageSid: sid,
          SmsSid: sid,
          MessageStatus: "delivered",
          SmsStatus: "delivered",
          AccountSid: settings!.accountSid,
          From: form.get("From") ?? "",
          To: rawTo,
          ApiVersion: "2010-04-01",
          RawDlrDoneDate: new Date().toISOString().replace(/\D/g, "").slice(2, 12),
        });
        if (whatsapp) params.set("ChannelPrefix", "whatsapp");
        return await fetch(callbackUrl, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": await signTwilio(settings!.authToken, callbackUrl, params),
          },
          body: params,
        });
      });
    }
    const now = rfc2822(new Date());
    return c.json({
      sid,
      account_sid: settings!.accountSid,
      api_version: "2010-04-01",
      body: text,
      num_segments: String(smsLength(text).segments),
      num_media: "0",
      direction: "outbound-api",
      from: form.get("From"),
      to: rawTo,
      messaging_service_sid: form.get("MessagingServiceSid"),
      status: "queued",
      error_code: null,
      error_message: null,
      price: null,
      price_unit: "USD",
      date_created: now,
      date_sent: null,
      date_updated: now,
      uri: `/2010-04-01/Accounts/${settings!.accountSid}/Messages/${sid}.json`,
      subresource_uris: { media: `/2010-04-01/Accounts/${settings!.accountSid}/Messages/${sid}/Media.json` },
    }, 201);
  });
  return app;
}

// Kavenegar ---------------------------------------------------------------------------------------------
/**
 * The delivery push of Kavenegar and SMS.ir (form POST to notifications-webhook/<provider>?token=…), sent when
 * the message becomes final; none without a token, and none when `lose_reports` drops it.
 */
function pushReport(
  state: SandboxState,
  provider: "kavenegar" | "smsir",
  token: string | undefined,
  fields: Record<string, string>,
  delayMs: number,
) {
  if (!token || state.loseReport(provider)) return;
  const url = `${notificationSecrets(config()).webhookUrl}/${provider}?token=${encodeURIComponent(token)}`;
  state.callback(
    () =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      }),
    delayMs,
  );
}

const HOUR = 3_600_000;
/** `sms/status` answers for messages up to 48 h old, `sms/statuslocalmessageid` up to 12 h; then status 100. */
const KAVENEGAR_WINDOW = { messageid: 48 * HOUR, localid: 12 * HOUR };
const KAVENEGAR_STATUS_TEXT: Record<number, string> = {
  1: "در صف ارسال",
  2: "زمان بندی شده",
  4: "ارسال به مخابرات",
  5: "ارسال به مخابرات",
  6: "خطا در ارسال پیام",
  10: "رسیده به گیرنده",
  11: "نرسیده به گیرنده",
  13: "لغو شده",
  14: "بلاک شده",
  100: "شناسه پیامک نامعتبر است",
};

interface SentSms {
  messageid: number;
  localid: string | null;
  /** The stand-in's clock when it was accepted. */
  createdAt: number;
  lifecycle: Lifecycle;
}

/** Kavenegar's lifecycle: 1 queued → 4 / 5 at the operator → final (10 delivered unless set otherwise). */
function kavenegarStatus(sms: SentSms, now: number): number {
  const age = now - sms.createdAt;
  const { sent_after_ms, final_after_ms, final_status } = sms.lifecycle;
  if (age >= final_after_ms) return final_status ?? 10;
  if (age >= sent_after_ms) return age < (sent_after_ms + final_after_ms) / 2 ? 4 : 5;
  return 1;
}

function kavenegarApp(state: SandboxState): Hono {
  const app = new Hono();
  controlRoutes(app, state, "kavenegar");
  const byLocalId = new Map<string, Record<string, unknown>>();
  const sent = new Map<string, SentSms>();
  const sentByLocalId = new Map<string, SentSms>();
  // Provider ids are unique per provider: start at a random point, so stand-ins of other runs never collide.
  let nextId = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const envelope = (c: Context, status: number, message: string, entries: unknown) =>
    c.json({ return: { status, message }, entries }, (status === 200 ? 200 : status) as 200);
  const paramsOf = async (c: Context) =>
    new URLSearchParams(c.req.method === "GET" ? new URL(c.req.url).search : await c.req.text());
  const keyOk = (c: Context) => {
    const settings = providerSettings(config()).kavenegar;
    return settings !== undefined && c.req.param("apikey") === settings.apiKey;
  };
  const send = async (c: Context) => {
    if (!keyOk(c)) return envelope(c, 403, "کلید API نامعتبر است", null);
    const params = await paramsOf(c);
    const receptor = params.get("receptor") ?? "";
    const message = params.get("message") ?? "";
    if (!receptor) return envelope(c, 406, "پارامترهای اجباری خالی است", null);
    const numbers = receptor.split(",").map((r) => r.trim());
    if (numbers.length > 200) return envelope(c, 414, "تعداد گیرندگان بیش از حد مجاز است", null);
    if (numbers.some((n) => !iranianMobile(n))) return envelope(c, 411, "گیرنده نامعتبر است", null);
    if (!message || message.length > 1600) return envelope(c, 413, "پیام خالی یا بیش از حد طولانی است", null);
    const localId = params.get("localid") || null;
    if (localId && byLocalId.has(localId)) return envelope(c, 200, "تایید شد", [byLocalId.get(localId)]);
    if (await state.injectFault("kavenegar")) {
      return envelope(c, 409, "سرور قادر به پاسخگویی نیست، دوباره تلاش کنید", null);
    }
    const length = smsLength(message);
    const lifecycle = state.lifecycleOf("kavenegar");
    const createdAt = state.now("kavenegar");
    const entries = numbers.map((n) => ({
      messageid: nextId++,
      message,
      status: 1,
      statustext: KAVENEGAR_STATUS_TEXT[1],
      sender: params.get("sender") || "10004346",
      receptor: n,
      date: Math.floor(createdAt / 1000),
      cost: 120 * Math.max(1, length.segments),
    }));
    for (const entry of entries) {
      const record: SentSms = { messageid: entry.messageid, localid: localId, createdAt, lifecycle };
      sent.set(String(entry.messageid), record);
      if (localId) sentByLocalId.set(localId, record);
      state.capture({
        channel: "sms",
        provider: "kavenegar",
        recipient: iranianMobile(entry.receptor)!,
        sender: entry.sender,
        subject: null,
        body_text: message,
        outbox_id: localId,
        provider_message_id: String(entry.messageid),
      });
      const final = lifecycle.final_status ?? 10;
      pushReport(state, "kavenegar", notificationSecrets(config()).kavenegarWebhookToken, {
        messageid: String(entry.messageid),
        status: String(final),
        statustext: KAVENEGAR_STATUS_TEXT[final] ?? "",
        receptor: entry.receptor,
        sender: entry.sender,
        date: String(entry.date),
      }, lifecycle.final_after_ms);
    }
    if (localId) byLocalId.set(localId, entries[0]);
    return envelope(c, 200, "تایید شد", entries);
  };
  /** sms/status (by messageid) and sms/statuslocalmessageid (by localid): ≤ 500 ids, unknown or too old → 100. */
  const status = (by: "messageid" | "localid") => async (c: Context) => {
    if (!keyOk(c)) return envelope(c, 403, "کلید API نامعتبر است", null);
    const raw = (await paramsOf(c)).get(by) ?? "";
    const ids = raw.split(",").map((id) => id.trim()).filter((id) => id !== "");
    if (ids.length === 0) return envelope(c, 406, "پارامترهای اجباری خالی است", null);
    if (ids.length > 500) return envelope(c, 414, "تعداد شناسه‌ها بیش از حد مجاز است", null);
    if (await state.injectFault("kavenegar")) {
      return envelope(c, 409, "سرور قادر به پاسخگویی نیست، دوباره تلاش کنید", null);
    }
    const now = state.now("kavenegar");
    const entries = ids.map((id) => {
      const sms = by === "messageid" ? sent.get(id) : sentByLocalId.get(id);
      const known = sms !== undefined && now - sms.createdAt <= KAVENEGAR_WINDOW[by];
      const code = known ? kavenegarStatus(sms!, now) : 100;
      const entry = {
        messageid: known ? sms!.messageid : by === "messageid" ? Number(id) || 0 : 0,
        status: code,
        statustext: KAVENEGAR_STATUS_TEXT[code] ?? "",
      };
      return by === "localid" ? { ...entry, localid: id } : entry;
    });
    return envelope(c, 200, "تایید شد", entries);
  };
  for (const suffix of ["", "/"]) {
    app.get(`/v1/:apikey/sms/send.json${suffix}`, send);
    app.post(`/v1/:apikey/sms/send.json${suffix}`, send);
    app.get(`/v1/:apikey/sms/status.json${suffix}`, status("messageid"));
    app.post(`/v1/:apikey/sms/status.json${suffix}`, status("messageid"));
    app.get(`/v1/:apikey/sms/statuslocalmessageid.json${suffix}`, status("localid"));
    app.post(`/v1/:apikey/sms/statuslocalmessageid.json${suffix}`, status("localid"));
  }
  return app;
}

// SMS.ir ------------------------------------------------------------------------------------------------
interface SmsirSent {
  messageId: number;
  mobile: string;
  messageText: string;
  lineNumber: string;
  cost: number;
  createdAt: number;
  lifecycle: Lifecycle;
}

/**
 * SMS.ir's report `deliveryState`: null while no report has come from the operator, then the final state (1
 * delivered to the handset, 2 not delivered unless set otherwise with final_status).
 */
function smsirDelivery(sms: SmsirSent, now: number): { state: number | null; at: number | null } {
  const final = sms.createdAt + sms.lifecycle.final_after_ms;
  return now >= final
    ? { state: sms.lifecycle.final_status ?? 1, at: Math.floor(final / 1000) }
    : { state: null, at: null };
}

function smsirApp(state: SandboxState): Hono {
  const app = new Hono();
  controlRoutes(app, state, "smsir");
  const sent = new Map<string, SmsirSent>();
  let nextId = 3_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const keyOk = (c: Context) => {
    const settings = providerSettings(config()).smsir;
    return settings !== undefined && c.req.header("x-api-key") === settings.apiKey;
  };
  app.post("/v1/send/bulk", async (c) => {
    const settings = providerSettings(config()).smsir;
    if (!settings || !keyOk(c)) {
      return c.json({ status: 0, message: "کلید وب سرویس نامعتبر است", data: null }, 401);
    }
    const body = await c.req.json().catch(() => null) as
      | { lineNumber?: number; messageText?: string; mobiles?: string[] }
      | null;
    if (
      !body || typeof body.messageText !== "string" || !body.messageText || !Array.isArray(body.mobiles) ||
      body.mobiles.length === 0
    ) {
      return c.json({ status: 0, message: "پارامترهای ورودی نامعتبر است", data: null }, 400);
    }
    if (body.mobiles.some((m) => !iranianMobile(String(m)))) {
      return c.json({ status: 0, message: "شماره موبایل نامعتبر است", data: null }, 400);
    }
    if (String(body.lineNumber ?? "") !== settings.lineNumber) {
      return c.json({ status: 0, message: "شماره خط نامعتبر است", data: null }, 400);
    }
    if (await state.injectFault("smsir")) {
      return c.json({ status: 0, message: "خطای داخلی سرور", data: null }, 500);
    }
    const ids = body.mobiles.map(() => nextId++);
    const outboxId = c.req.header("x-outbox-id") ?? null;
    const secrets = notificationSecrets(config());
    const lifecycle = state.lifecycleOf("smsir");
    const createdAt = state.now("smsir");
    const segments = smsLength(body.messageText).segments;
    body.mobiles.forEach((m, i) => {
      sent.set(String(ids[i]), {
        messageId: ids[i],
        mobile: iranianMobile(String(m))!,
        messageText: body.messageText!,
        lineNumber: settings.lineNumber,
        cost: segments,
        createdAt,
        lifecycle,
      });
      state.capture({
        channel: "sms",
        provider: "smsir",
        recipient: iranianMobile(String(m))!,
        sender: settings.lineNumber,
        subject: null,
        body_text: body.messageText!,
        outbox_id: outboxId,
        provider_message_id: String(ids[i]),
      });
      pushReport(state, "smsir", secrets.smsirWebhookToken, {
        messageid: String(ids[i]),
        status: (lifecycle.final_status ?? 1) === 1 ? "delivered" : "failed",
      }, lifecycle.final_after_ms);
    });
    return c.json({
      status: 1,
      message: "موفق",
      data: { packId: crypto.randomUUID(), messageIds: ids, cost: segments * body.mobiles.length },
    });
  });
  // The report of one sent message, as SMS.ir's REST v1 `GET /v1/send/{messageId}` (the shape of its official
  // TypeScript client's ReportMessageResponse).
  app.get("/v1/send/:messageId{[0-9]+}", async (c) => {
    if (!keyOk(c)) return c.json({ status: 0, message: "کلید وب سرویس نامعتبر است", data: null }, 401);
    if (await state.injectFault("smsir")) {
      return c.json({ status: 0, message: "خطای داخلی سرور", data: null }, 500);
    }
    const sms = sent.get(c.req.param("messageId"));
    if (!sms) return c.json({ status: 0, message: "پیامی با این شناسه یافت نشد", data: null }, 400);
    const delivery = smsirDelivery(sms, state.now("smsir"));
    return c.json({
      status: 1,
      message: "موفق",
      data: {
        messageId: sms.messageId,
        mobile: Number(sms.mobile.slice(3)),
        messageText: sms.messageText,
        sendDateTime: Math.floor(sms.createdAt / 1000),
        lineNumber: Number(sms.lineNumber),
        cost: sms.cost,
        deliveryState: delivery.state,
        deliveryDateTime: delivery.at,
      },
    });
  });
  return app;
}

export interface NotifySandboxes {
  state: SandboxState;
  mounts: Record<string, Hono>;
}

let current: SandboxState | undefined;

/** The stand-ins' state of the most recently started stack (in-process tests read stats and set faults). */
export function notifySandboxState(): SandboxState {
  if (!current) throw new Error("the messaging stand-ins are not mounted: start the stack first");
  return current;
}

export function createNotifySandboxes(sql: postgres.Sql): NotifySandboxes {
  const state = new SandboxState(sql);
  current = state;
  return {
    state,
    mounts: {
      "/sandbox/resend": resendApp(state),
      "/sandbox/twilio": twilioApp(state),
      "/sandbox/kavenegar": kavenegarApp(state),
      "/sandbox/smsir": smsirApp(state),
    },
  };
}
