/** Reads and validates the environment once; every module takes its settings from here. */
import { z } from "zod";

const url = z.url({ protocol: /^https?$/ });
const optionalText = z.string().min(1).optional();

const schema = z.object({
  SUPABASE_URL: url.optional(),
  SUPABASE_PUBLISHABLE_KEY: optionalText,
  SUPABASE_ANON_KEY: optionalText,
  SUPABASE_SECRET_KEY: optionalText,
  SUPABASE_SERVICE_ROLE_KEY: optionalText,
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  /** What Supabase gives Edge Functions instead of DATABASE_URL. */
  SUPABASE_DB_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  /**
   * Where live feeds LISTEN: a direct or session-mode connection. Supavisor's transaction mode (port 6543)
   * does not carry LISTEN, so the default swaps that port for session mode's 5432 on the same host.
   */
  DATABASE_LISTEN_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  /** Connections the app keeps to Postgres (Supavisor's session mode allows 15 on the smallest plan). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  APP_URL: url.default("http://127.0.0.1:8000"),
  PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  ZARINPAL_MERCHANT_ID: z.uuid().optional(),
  ZARINPAL_API_URL: url.optional(),
  ZARINPAL_STARTPAY_URL: url.optional(),
  PAYMENT_CALLBACK_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Top-up limits in rials (Zarinpal's own range is 1,000..1,000,000,000). */
  PAYMENT_MIN_RIAL: z.coerce.number().int().min(1_000).default(10_000),
  PAYMENT_MAX_RIAL: z.coerce.number().int().max(1_000_000_000).default(1_000_000_000),
  /** The smallest withdrawal a customer may request on the wallet pages, in rials (100,000 = 10,000 tomans). */
  WALLET_MIN_WITHDRAWAL_RIAL: z.coerce.number().int().min(10).max(1_000_000_000_000).default(100_000),
  /** The smallest transfer a customer may send on the wallet pages, in rials (default: one toman). */
  WALLET_MIN_TRANSFER_RIAL: z.coerce.number().int().min(10).max(1_000_000_000_000).default(10),
  /** Transfers of at least this many rials need a fresh re-authentication (withdrawals always do). */
  TRANSFER_REAUTH_MIN_RIAL: z.coerce.number().int().min(0).default(100_000_000),
  /** How long a re-authentication (the account password, asked again) counts as fresh, in seconds. */
  REAUTH_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  RESEND_API_KEY: optionalText,
  RESEND_BASE_URL: url.optional(),
  EMAIL_FROM: z.string().min(3).default("Pishkhan <no-reply@pishkhan.local>"),
  TWILIO_ACCOUNT_SID: optionalText,
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM: optionalText,
  TWILIO_BASE_URL: url.optional(),
  /** Auth's Send SMS hook secret(s), `v1,whsec_<base64>` joined by `|` (functions/auth-send-sms). */
  SEND_SMS_HOOK_SECRET: z.string().regex(
    /^v1,whsec_[A-Za-z0-9+/=]{32,88}(\|v1,whsec_[A-Za-z0-9+/=]{32,88})*$/,
    "must be v1,whsec_<base64> (several joined by |)",
  ).optional(),
  /** Notifications (docs/notifications.md): provider credentials, webhook secrets and the metrics token. */
  TWILIO_WHATSAPP_FROM: optionalText,
  RESEND_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, "must be whsec_<base64>").optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be smtp:// or smtps://").optional(),
  KAVENEGAR_API_KEY: optionalText,
  KAVENEGAR_BASE_URL: url.optional(),
  KAVENEGAR_SENDER: optionalText,
  KAVENEGAR_WEBHOOK_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  SMSIR_API_KEY: optionalText,
  SMSIR_BASE_URL: url.optional(),
  SMSIR_LINE_NUMBER: z.string().regex(/^[0-9]{4,20}$/, "must be the line's digits").optional(),
  SMSIR_WEBHOOK_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** `off`: notifications-dispatch answers without sending (test stacks that do not exercise the pipeline). */
  NOTIFICATIONS_DISPATCH: z.enum(["on", "off"]).default("on"),
  /** Set by the local stack (local/stack.ts) when it points SUPABASE_URL at its own gateway. */
  PISHKHAN_LOCAL_STACK: z.enum(["0", "1"]).optional(),
});

export type Env = z.infer<typeof schema>;

export interface Config extends Env {
  mode: "local" | "hosted";
  supabaseUrl: string;
  publishableKey: string;
  secretKey: string;
  databaseUrl: string;
  /** The connection live feeds LISTEN on (never Supavisor's transaction mode). */
  databaseListenUrl: string;
  /** Zarinpal API base, merchant id and the key that signs callback URLs (local defaults use the sandbox). */
  zarinpalApiUrl: string;
  zarinpalMerchantId: string;
  paymentCallbackSecret: string;
  /** The Standard Webhooks secrets Auth signs Send SMS hook calls with (local default in local mode). */
  sendSmsHookSecrets: string[];
}

/** Local mode only: the sandbox accepts any merchant id, and the callback secret need not be secret. */
export const LOCAL_ZARINPAL_MERCHANT_ID = "6b2c1e0a-4a7b-4a57-9d35-0f1f2e3d4c5b";
const LOCAL_PAYMENT_CALLBACK_SECRET = "local-only-payment-callback-secret-0123456789";
/** The local Auth stand-in signs Send SMS hook calls with this when SEND_SMS_HOOK_SECRET is unset. */
export const LOCAL_SEND_SMS_HOOK_SECRET = "v1,whsec_bG9jYWwtb25seS1zZW5kLXNtcy1ob29rLXNlY3JldC0wMTIz";

/**
 * Values published with the local stack and the Supabase CLI (anyone can read them), which hosted mode
 * refuses: the CLI's local API keys, its legacy demo JWTs (issuer `supabase-demo`) and our local defaults.
 */
const PUBLIC_LOCAL_VALUES = new Set([
  "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH",
  "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz",
  LOCAL_ZARINPAL_MERCHANT_ID,
  LOCAL_PAYMENT_CALLBACK_SECRET,
  LOCAL_SEND_SMS_HOOK_SECRET,
]);

function isPublicLocalValue(value: string): boolean {
  if (PUBLIC_LOCAL_VALUES.has(value)) return true;
  try {
    const payload = JSON.parse(atob(value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return payload?.iss === "supabase-demo";
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The session-mode twin of a Supavisor transaction-mode URL (port 6543 → 5432); other URLs as they are. */
export function listenUrlFor(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.port !== "6543") return databaseUrl;
    url.port = "5432";
    return url.toString();
  } catch {
    return databaseUrl;
  }
}

/** Thrown with one line per bad variable, so start-up fails with a message a person can act on. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

function required(env: Env, problems: string[], name: keyof Env, alternative?: keyof Env): string {
  const value = env[name] ?? (alternative ? env[alternative] : undefined);
  if (typeof value === "string" && value) return value;
  problems.push(`${name}${alternative ? ` (or ${alternative})` : ""}: required in hosted mode`);
  return "";
}

/** Parses `source` (default: the process environment). Local mode when SUPABASE_URL is unset. */
export function loadConfig(source: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  // Local mode is explicit: no SUPABASE_URL, or the local stack's own loopback gateway. A hosted URL with the
  // local flag is a mistake that would switch on the local defaults (public secrets), so it is refused.
  const loopback = env.SUPABASE_URL ? LOOPBACK_HOSTS.has(new URL(env.SUPABASE_URL).hostname) : true;
  if (env.PISHKHAN_LOCAL_STACK === "1" && !loopback) {
    throw new ConfigError([
      "PISHKHAN_LOCAL_STACK: only the local stack sets it, with a loopback SUPABASE_URL",
    ]);
  }
  const mode = env.SUPABASE_URL && env.PISHKHAN_LOCAL_STACK !== "1" ? "hosted" : "local";
  const local = mode === "local";
  const config: Config = {
    ...env,
    mode,
    supabaseUrl: env.SUPABASE_URL ?? "http://127.0.0.1:54321",
    publishableKey: local
      ? env.SUPABASE_PUBLISHABLE_KEY ?? env.SUPABASE_ANON_KEY ?? ""
      : required(env, problems, "SUPABASE_PUBLISHABLE_KEY", "SUPABASE_ANON_KEY"),
    secretKey: local
      ? env.SUPABASE_SECRET_KEY ?? env.SUPABASE_SERVICE_ROLE_KEY ?? ""
      : required(env, problems, "SUPABASE_SECRET_KEY", "SUPABASE_SERVICE_ROLE_KEY"),
    databaseUrl: local ? env.DATABASE_URL ?? "" : required(env, problems, "DATABASE_URL", "SUPABASE_DB_URL"),
    databaseListenUrl: "",
    zarinpalApiUrl: env.ZARINPAL_API_URL ??
      (local
        ? `${env.SUPABASE_URL ?? "http://127.0.0.1:54321"}/sandbox/zarinpal/pg/v4/payment/`
        : "https://payment.zarinpal.com/pg/v4/payment/"),
    zarinpalMerchantId: env.ZARINPAL_MERCHANT_ID ?? (local ? LOCAL_ZARINPAL_MERCHANT_ID : ""),
    paymentCallbackSecret: env.PAYMENT_CALLBACK_SECRET ?? (local ? LOCAL_PAYMENT_CALLBACK_SECRET : ""),
    sendSmsHookSecrets: (env.SEND_SMS_HOOK_SECRET ?? (local ? LOCAL_SEND_SMS_HOOK_SECRET : "")).split("|")
      .filter(Boolean),
  };
  if (config.PAYMENT_MIN_RIAL > config.PAYMENT_MAX_RIAL) {
    problems.push("PAYMENT_MIN_RIAL: must not exceed PAYMENT_MAX_RIAL");
  }
  config.databaseListenUrl = env.DATABASE_LISTEN_URL ?? listenUrlFor(config.databaseUrl);
  if (!local) {
    required(env, problems, "ZARINPAL_MERCHANT_ID");
    required(env, problems, "PAYMENT_CALLBACK_SECRET");
    if (new URL(config.APP_URL).protocol !== "https:") {
      problems.push("APP_URL: must be https:// in hosted mode");
    }
    const secrets = {
      SUPABASE_PUBLISHABLE_KEY: config.publishableKey,
      SUPABASE_SECRET_KEY: config.secretKey,
      ZARINPAL_MERCHANT_ID: config.zarinpalMerchantId,
      PAYMENT_CALLBACK_SECRET: config.paymentCallbackSecret,
      SEND_SMS_HOOK_SECRET: config.sendSmsHookSecrets.join("|"),
    };
    for (const [name, value] of Object.entries(secrets)) {
      if (value && isPublicLocalValue(value)) {
        problems.push(`${name}: this is a published local value; use your own`);
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

let current: Config | undefined;

/** The process-wide configuration, parsed on first use. */
export function config(): Config {
  return current ??= loadConfig();
}

/** Replaces the process-wide configuration (the local stack and tests set it after start-up). */
export function setConfig(next: Config): void {
  current = next;
}
