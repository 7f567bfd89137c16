/**
 * The providers the dispatcher sends through. Each `send` returns the provider's message id, or a failure that
 * says whether it is permanent (the address or number is invalid: no retry, no failover) or worth retrying.
 *   - email: Resend (the `resend` SDK, base URL configurable, Idempotency-Key = the outbox id), SMTP failover
 *     (nodemailer);
 *   - SMS to +98: Kavenegar (`localid` = the outbox id, which the API deduplicates), then SMS.ir;
 *   - SMS elsewhere and WhatsApp: Twilio (the `twilio` SDK with an httpClient that speaks fetch, so the base URL
 *     can point at the stand-in).
 */
import { Resend } from "resend";
import twilio from "twilio";
import nodemailer from "nodemailer";
import net from "node:net";
import type { ProviderName } from "./routing.ts";

export interface OutgoingMessage {
  outboxId: string;
  channel: "email" | "sms" | "whatsapp";
  to: string;
  subject: string;
  text: string;
  /** The same message as HTML (email only): sent beside the text as multipart/alternative. */
  html?: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; permanent: boolean; error: string };

export interface Provider {
  name: ProviderName;
  send(message: OutgoingMessage): Promise<SendResult>;
}

export interface ProviderSettings {
  emailFrom: string;
  resend?: { apiKey: string; baseUrl: string };
  smtp?: { url: string };
  kavenegar?: { apiKey: string; baseUrl: string; sender?: string };
  smsir?: { apiKey: string; baseUrl: string; lineNumber: string };
  twilio?: {
    accountSid: string;
    authToken: string;
    from: string;
    whatsappFrom?: string;
    baseUrl?: string;
    statusCallback?: string;
  };
  timeoutMs?: number;
}

const failure = (permanent: boolean, error: string): SendResult => ({ ok: false, permanent, error });

// Resend -----------------------------------------------------------------------------------------------------
const RESEND_PERMANENT = new Set([
  "validation_error",
  "invalid_from_address",
  "missing_required_field",
  "invalid_parameter",
]);

export function resendProvider(settings: NonNullable<ProviderSettings["resend"]>, from: string): Provider {
  const client = new Resend(settings.apiKey, { baseUrl: settings.baseUrl.replace(/\/+$/, "") } as never);
  return {
    name: "resend",
    async send(message) {
      const { data, error } = await client.emails.send(
        {
          from,
          to: [message.to],
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          headers: { "X-Outbox-Id": message.outboxId },
        },
        { idempotencyKey: `outbox-${message.outboxId}` },
      );
      if (data?.id) return { ok: true, providerMessageId: data.id };
      const name = (error as { name?: string } | null)?.name ?? "unknown";
      const status = (error as { statusCode?: number | null } | null)?.statusCode ?? 0;
      return failure(
        RESEND_PERMANENT.has(name) && status !== 429,
        `resend ${status} ${name}: ${error?.message ?? ""}`,
      );
    },
  };
}

// SMTP -------------------------------------------------------------------------------------------------------
/**
 * The pool's connections with Nagle's algorithm off (TCP_NODELAY). nodemailer writes a message's end-of-data
 * line apart from its body; with Nagle on, that small write waits for the server's ACK of the body, which the
 * server delays (it answers only after the end-of-data line): about 40 ms a message on each connection, so
 * the 4 pooled connections accepted about 80 messages/s (bench:notifications at 20 % faults, where a fifth of
 * the email fails over to SMTP). Plain connections only; an smtps: URL keeps nodemailer's own TLS socket.
 */
function noDelaySocket(
  options: { host?: string; port?: number; secure?: boolean },
  callback: (error: Error | null, socketOptions?: { connection: net.Socket }) => void,
) {
  if (options.secure) return callback(null);
  const socket = net.connect({ host: options.host, port: options.port ?? 25 }, () => {
    socket.removeListener("error", failed);
    callback(null, { connection: socket });
  });
  socket.setNoDelay(true);
  function failed(error: Error) {
    callback(error);
  }
  socket.once("error", failed);
}

export function smtpProvider(
  settings: NonNullable<ProviderSettings["smtp"]>,
  from: string,
  timeoutMs: number,
): Provider {
  const url = new URL(settings.url);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || 25),
    secure: url.protocol === "smtps:",
    ignoreTLS: url.protocol === "smtp:" && url.searchParams.get("starttls") !== "1",
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    pool: true,
    maxConnections: 4,
    connectionTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    getSocket: noDelaySocket,
  } as never);
  return {
    name: "smtp",
    async send(message) {
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          headers: { "X-Outbox-Id": message.outboxId },
        });
        return { ok: true, providerMessageId: String(info.messageId ?? "") };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode ?? 0;
        // 550/551/553: the mailbox does not exist or the address is malformed.
        return failure([550, 551, 553].includes(code), `smtp ${code}: ${(error as Error).message}`);
      }
    },
  };
}

// Kavenegar --------------------------------------------------------------------------------------------------
/** Kavenegar return.status codes that will not change on a retry: invalid receptor, sender, message, chars. */
const KAVENEGAR_PERMANENT = new Set([411, 413, 422]);

export function kavenegarProvider(
  settings: NonNullable<ProviderSettings["kavenegar"]>,
  timeoutMs: number,
): Provider {
  const base = settings.baseUrl.replace(/\/+$/, "");
  return {
    name: "kavenegar",
    async send(message) {
      const form = new URLSearchParams({
        receptor: message.to.replace(/^\+98/, "0"),
        message: message.text,
        localid: message.outboxId,
      });
      if (settings.sender) form.set("sender", settings.sender);
      try {
        const response = await fetch(`${base}/v1/${encodeURIComponent(settings.apiKey)}/sms/send.json`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await response.json().catch(() => null) as
          | { return?: { status?: number; message?: string }; entries?: { messageid?: number }[] | null }
          | null;
        const status = body?.return?.status ?? response.status;
        const id = body?.entries?.[0]?.messageid;
        if (status === 200 && id !== undefined) return { ok: true, providerMessageId: String(id) };
        return failure(
          KAVENEGAR_PERMANENT.has(status),
          `kavenegar ${status}: ${body?.return?.message ?? ""}`,
        );
      } catch (error) {
        return failure(false, `kavenegar: ${(error as Error).message}`);
      }
    },
  };
}

// SMS.ir -----------------------------------------------------------------------------------------------------
/** SMS.ir REST v1 (`POST /v1/send/bulk`, `X-API-KEY`): status 1 is success; mobiles without +98 / 0. */
export function smsirProvider(settings: NonNullable<ProviderSettings["smsir"]>, timeoutMs: number): Provider {
  const base = settings.baseUrl.replace(/\/+$/, "");
  return {
    name: "smsir",
    async send(message) {
      try {
        const response = await fetch(`${base}/v1/send/bulk`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-API-KEY": settings.apiKey,
            "X-Outbox-Id": message.outboxId,
          },
          body: JSON.stringify({
            lineNumber: Number(settings.lineNumber),
            messageText: message.text,
            mobiles: [message.to.replace(/^\+98/, "0")],
            sendDateTime: null,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await response.json().catch(() => null) as
          | { status?: number; message?: string; data?: { packId?: string; messageIds?: number[] } }
          | null;
        const id = body?.data?.messageIds?.[0];
        if (response.ok && body?.status === 1 && id !== undefined) {
          return { ok: true, providerMessageId: String(id) };
        }
        // 400 with a validation message (invalid mobile, empty text) will not change on a retry.
        return failure(
          response.status === 400,
          `smsir ${response.status} ${body?.status ?? ""}: ${body?.message ?? ""}`,
        );
      } catch (error) {
        return failure(false, `smsir: ${(error as Error).message}`);
      }
    },
  };
}

// Twilio -----------------------------------------------------------------------------------------------------
/** Twilio error codes that a retry will not fix: invalid To, region not reachable, opted out, landline. */
const TWILIO_PERMANENT = new Set([21211, 21408, 21610, 21614]);

interface TwilioRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

/** The `httpClient` the Twilio SDK calls: fetch, with the API origin swapped for `baseUrl` (the stand-in). */
export function twilioFetchClient(baseUrl: string | undefined, timeoutMs: number) {
  const base = baseUrl?.replace(/\/+$/, "");
  return {
    async request(opts: TwilioRequest) {
      const uri = base ? opts.uri.replace(/^https:\/\/[^/]+/, base) : opts.uri;
      const url = new URL(uri);
      for (const [k, v] of Object.entries(opts.params ?? {})) {
        if (v !== undefined) url.searchParams.append(k, String(v));
      }
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.data ?? {})) {
        if (v === undefined) continue;
        for (const item of Array.isArray(v) ? v : [v]) form.append(k, String(item));
      }
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.username) headers.Authorization = `Basic ${btoa(`${opts.username}:${opts.password ?? ""}`)}`;
      const response = await fetch(url, {
        method: opts.method.toUpperCase(),
        headers,
        body: opts.method.toUpperCase() === "GET" ? undefined : form,
        signal: AbortSignal.timeout(opts.timeout ?? timeoutMs),
      });
      const body = await response.text();
      return { statusCode: response.status, body, headers: Object.fromEntries(response.headers) };
    },
  };
}

export function twilioProvider(
  settings: NonNullable<ProviderSettings["twilio"]>,
  timeoutMs: number,
): Provider {
  const client = twilio(settings.accountSid, settings.authToken, {
    httpClient: twilioFetchClient(settings.baseUrl, timeoutMs) as never,
  });
  return {
    name: "twilio",
    async send(message) {
      const whatsapp = message.channel === "whatsapp";
      try {
        const sent = await client.messages.create({
          to: whatsapp ? `whatsapp:${message.to}` : message.to,
          from: whatsapp ? `whatsapp:${settings.whatsappFrom ?? settings.from}` : settings.from,
          body: message.text,
          statusCallback: settings.statusCallback
            ? `${settings.statusCallback}?outbox_id=${encodeURIComponent(message.outboxId)}`
            : undefined,
        });
        return { ok: true, providerMessageId: sent.sid };
      } catch (error) {
        const code = (error as { code?: number }).code ?? 0;
        const status = (error as { status?: number }).status ?? 0;
        return failure(TWILIO_PERMANENT.has(code), `twilio ${status} ${code}: ${(error as Error).message}`);
      }
    },
  };
}

/** Every configured provider, by name. */
export function createProviders(settings: ProviderSettings): Partial<Record<ProviderName, Provider>> {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const providers: Partial<Record<ProviderName, Provider>> = {};
  if (settings.resend) providers.resend = resendProvider(settings.resend, settings.emailFrom);
  if (settings.smtp) providers.smtp = smtpProvider(settings.smtp, settings.emailFrom, timeoutMs);
  if (settings.kavenegar) providers.kavenegar = kavenegarProvider(settings.kavenegar, timeoutMs);
  if (settings.smsir) providers.smsir = smsirProvider(settings.smsir, timeoutMs);
  if (settings.twilio) providers.twilio = twilioProvider(settings.twilio, timeoutMs);
  return providers;
}
