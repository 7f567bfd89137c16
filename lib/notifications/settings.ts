/**
 * The notification providers' settings from the configuration. In local mode every provider points at its
 * stand-in on the gateway (/sandbox/<provider>) with the local, published credentials below; in hosted mode a
 * provider without credentials is simply not used (its channel then fails over or retries).
 */
import type { Config } from "../config.ts";
import type { ProviderSettings } from "./providers.ts";

/** Published local values (like the Supabase CLI's keys): never secrets. */
export const LOCAL_NOTIFY = {
  resendApiKey: "re_local_sandbox_key",
  resendWebhookSecret: `whsec_${btoa("pishkhan-local-resend-webhook-key")}`,
  twilioAccountSid: "AC00000000000000000000000000000001",
  twilioAuthToken: "local-twilio-auth-token-0123456789",
  twilioFrom: "+15005550006",
  twilioWhatsappFrom: "+14155238886",
  kavenegarApiKey: "local-kavenegar-api-key",
  kavenegarWebhookToken: "local-kavenegar-webhook-token",
  smsirApiKey: "local-smsir-api-key",
  smsirLineNumber: "30007732000000",
  smsirWebhookToken: "local-smsir-webhook-token-01",
} as const;

export interface NotificationSecrets {
  resendWebhookSecret?: string;
  twilioAuthToken?: string;
  kavenegarWebhookToken?: string;
  smsirWebhookToken?: string;
  /** The public URL of notifications-webhook (Twilio signs the exact callback URL). */
  webhookUrl: string;
}

function base(c: Config): string {
  return c.supabaseUrl.replace(/\/+$/, "");
}

export function notificationSecrets(c: Config): NotificationSecrets {
  const local = c.mode === "local";
  return {
    resendWebhookSecret: c.RESEND_WEBHOOK_SECRET ?? (local ? LOCAL_NOTIFY.resendWebhookSecret : undefined),
    twilioAuthToken: c.TWILIO_AUTH_TOKEN ?? (local ? LOCAL_NOTIFY.twilioAuthToken : undefined),
    kavenegarWebhookToken: c.KAVENEGAR_WEBHOOK_TOKEN ??
      (local ? LOCAL_NOTIFY.kavenegarWebhookToken : undefined),
    smsirWebhookToken: c.SMSIR_WEBHOOK_TOKEN ?? (local ? LOCAL_NOTIFY.smsirWebhookToken : undefined),
    webhookUrl: `${base(c)}/functions/v1/notifications-webhook`,
  };
}

export function providerSettings(c: Config): ProviderSettings {
  const local = c.mode === "local";
  const sandbox = (name: string) => `${base(c)}/sandbox/${name}`;
  const secrets = notificationSecrets(c);
  const resendKey = c.RESEND_API_KEY ?? (local ? LOCAL_NOTIFY.resendApiKey : undefined);
  const twilioSid = c.TWILIO_ACCOUNT_SID ?? (local ? LOCAL_NOTIFY.twilioAccountSid : undefined);
  const twilioToken = c.TWILIO_AUTH_TOKEN ?? (local ? LOCAL_NOTIFY.twilioAuthToken : undefined);
  const twilioFrom = c.TWILIO_FROM ?? (local ? LOCAL_NOTIFY.twilioFrom : undefined);
  const kavenegarKey = c.KAVENEGAR_API_KEY ?? (local ? LOCAL_NOTIFY.kavenegarApiKey : undefined);
  const smsirKey = c.SMSIR_API_KEY ?? (local ? LOCAL_NOTIFY.smsirApiKey : undefined);
  const smsirLine = c.SMSIR_LINE_NUMBER ?? (local ? LOCAL_NOTIFY.smsirLineNumber : undefined);
  return {
    emailFrom: c.EMAIL_FROM,
    resend: resendKey
      ? {
        apiKey: resendKey,
        baseUrl: c.RESEND_BASE_URL ?? (local ? sandbox("resend") : "https://api.resend.com"),
      }
      : undefined,
    smtp: c.SMTP_URL ? { url: c.SMTP_URL } : undefined,
    kavenegar: kavenegarKey
      ? {
        apiKey: kavenegarKey,
        baseUrl: c.KAVENEGAR_BASE_URL ?? (local ? sandbox("kavenegar") : "https://api.kavenegar.com"),
        sender: c.KAVENEGAR_SENDER,
      }
      : undefined,
    smsir: smsirKey && smsirLine
      ? {
        apiKey: smsirKey,
        baseUrl: c.SMSIR_BASE_URL ?? (local ? sandbox("smsir") : "https://api.sms.ir"),
        lineNumber: smsirLine,
      }
      : undefined,
    twilio: twilioSid && twilioToken && twilioFrom
      ? {
        accountSid: twilioSid,
        authToken: twilioToken,
        from: twilioFrom,
        whatsappFrom: c.TWILIO_WHATSAPP_FROM ?? (local ? LOCAL_NOTIFY.twilioWhatsappFrom : undefined),
        baseUrl: c.TWILIO_BASE_URL ?? (local ? sandbox("twilio") : undefined),
        statusCallback: `${secrets.webhookUrl}/twilio`,
      }
      : undefined,
  };
}
