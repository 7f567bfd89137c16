/** The Auth emulator's settings, read from supabase/config.toml `[auth]` the way the Supabase CLI passes them to GoTrue. */
import { parse } from "smol-toml";
import { LOCAL_SEND_SMS_HOOK_SECRET } from "../../lib/config.ts";

export interface ProviderConfig {
  enabled: boolean;
}

export interface AuthConfig {
  siteUrl: string;
  additionalRedirectUrls: string[];
  jwtExpiry: number;
  refreshTokenRotation: boolean;
  refreshTokenReuseInterval: number;
  disableSignup: boolean;
  minPasswordLength: number;
  /** Character sets a password must each hit (GOTRUE_PASSWORD_REQUIRED_CHARACTERS). */
  requiredCharacters: string[];
  emailEnabled: boolean;
  mailerAutoconfirm: boolean;
  secureEmailChange: boolean;
  otpLength: number;
  otpExpiry: number;
  /** Minimum seconds between two mails of one kind to one user (SMTP max_frequency). */
  maxFrequency: number;
  /** PKCE flow states live this long (GoTrue's FlowStateExpiryDuration). */
  flowStateExpiry: number;
  rateLimit: {
    emailSent: number;
    smsSent: number;
    signInSignUps: number;
    tokenVerifications: number;
    tokenRefresh: number;
  };
  /** `[auth.sms]`: the phone provider (GOTRUE_EXTERNAL_PHONE_ENABLED and GOTRUE_SMS_*). */
  sms: SmsConfig;
  /** `schema.function` of the custom access token hook, when enabled. */
  customAccessTokenHook?: { schema: string; name: string };
  external: Record<string, ProviderConfig>;
}

export interface SmsConfig {
  /** `enable_signup`: false turns off every phone flow (sign-up, OTP, verify, phone change). */
  enabled: boolean;
  /** `!enable_confirmations`: phones are confirmed without a code. */
  autoconfirm: boolean;
  /** Seconds between two codes to one number (`max_frequency`). */
  maxFrequency: number;
  /** Seconds a code stays valid (`otp_exp`). */
  otpExpiry: number;
  /** Digits per code (`otp_length`; outside 6–10 it is 6, as GoTrue does). */
  otpLength: number;
  /** `[auth.sms.test_otp]`: number (digits) → fixed code; nothing is sent for these. */
  testOtp: Record<string, string>;
  /** `[auth.hook.send_sms]` when enabled: where and with which Standard Webhooks secrets. */
  hook?: { uri: string; secrets: string[] };
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const SYMBOLS = "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~";

/** The CLI's mapping of `password_requirements` (pkg/config/auth.go ToChar). */
const REQUIREMENTS: Record<string, string[]> = {
  "": [],
  letters_digits: [LOWER + UPPER, DIGITS],
  lower_upper_letters_digits: [LOWER, UPPER, DIGITS],
  lower_upper_letters_digits_symbols: [LOWER, UPPER, DIGITS, SYMBOLS],
};

type Table = Record<string, unknown>;
const table = (v: unknown): Table => (v && typeof v === "object" ? v as Table : {});
const num = (v: unknown, fallback: number) => (typeof v === "number" ? v : fallback);
const bool = (v: unknown, fallback: boolean) => (typeof v === "boolean" ? v : fallback);
const str = (v: unknown, fallback: string) => (typeof v === "string" ? v : fallback);

/** Go-style durations such as "1s", "1m30s" or "24h" in seconds. */
export function parseDuration(value: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) return undefined;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const [, n, , u] of value.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * unit[u];
  return total;
}

/** `env(NAME)` as the CLI resolves it; other values as they are. */
function resolveEnv(value: string, fallback: () => string | undefined): string {
  const match = value.match(/^env\((\w+)\)$/);
  if (!match) return value;
  return Deno.env.get(match[1]) || fallback() || "";
}

/** `[auth.hook.send_sms]`: an http(s) URI and `v1,whsec_…` secrets joined by `|` (the CLI's checks). */
function smsHookFrom(hook: Table, defaultSecret: () => string | undefined): SmsConfig["hook"] {
  if (!bool(hook.enabled, false)) return undefined;
  const uri = str(hook.uri, "");
  if (!/^https?:\/\//.test(uri)) throw new Error(`auth.hook.send_sms: unsupported uri ${uri}`);
  const secrets = resolveEnv(str(hook.secrets, ""), defaultSecret).split("|").filter(Boolean);
  for (const secret of secrets) {
    if (!/^v1,whsec_[A-Za-z0-9+/=]{32,88}$/.test(secret)) {
      throw new Error("auth.hook.send_sms: secrets must look like v1,whsec_<base64>");
    }
  }
  if (!secrets.length) throw new Error("auth.hook.send_sms: no secret");
  return { uri, secrets };
}

function smsFrom(auth: Table, defaultSecret: () => string | undefined): SmsConfig {
  const sms = table(auth.sms);
  const length = num(sms.otp_length, 6);
  const testOtp: Record<string, string> = {};
  for (const [phone, otp] of Object.entries(table(sms.test_otp))) {
    testOtp[phone.replace(/^\+/, "")] = String(otp);
  }
  return {
    enabled: bool(sms.enable_signup, false),
    autoconfirm: !bool(sms.enable_confirmations, false),
    maxFrequency: parseDuration(str(sms.max_frequency, "5s")) ?? 5,
    otpExpiry: num(sms.otp_exp, 6000),
    otpLength: length >= 6 && length <= 10 ? length : 6,
    testOtp,
    hook: smsHookFrom(table(table(auth.hook).send_sms), defaultSecret),
  };
}

function hookFrom(uri: string): AuthConfig["customAccessTokenHook"] {
  const match = uri.match(/^pg-functions:\/\/[^/]+\/([a-z_][a-z0-9_]*)\/([a-z_][a-z0-9_]*)$/i);
  if (!match) throw new Error(`auth.hook.custom_access_token: unsupported uri ${uri}`);
  return { schema: match[1], name: match[2] };
}

/** Builds the settings from the parsed `[auth]` table; defaults are the CLI's config template. */
export function authConfigFrom(
  auth: Table,
  defaultSmsSecret: () => string | undefined = () => undefined,
): AuthConfig {
  const email = table(auth.email);
  const rate = table(auth.rate_limit);
  const hook = table(table(auth.hook).custom_access_token);
  const external: Record<string, ProviderConfig> = {};
  for (const [name, value] of Object.entries(table(auth.external))) {
    external[name] = { enabled: bool(table(value).enabled, false) };
  }
  const requirements = str(auth.password_requirements, "");
  if (!(requirements in REQUIREMENTS)) throw new Error(`auth.password_requirements: unknown ${requirements}`);
  return {
    siteUrl: str(auth.site_url, "http://127.0.0.1:3000"),
    additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls)
      ? auth.additional_redirect_urls.map(String)
      : [],
    jwtExpiry: num(auth.jwt_expiry, 3600),
    refreshTokenRotation: bool(auth.enable_refresh_token_rotation, true),
    refreshTokenReuseInterval: num(auth.refresh_token_reuse_interval, 10),
    disableSignup: !bool(auth.enable_signup, true),
    minPasswordLength: num(auth.minimum_password_length, 6),
    requiredCharacters: REQUIREMENTS[requirements],
    emailEnabled: bool(email.enable_signup, true),
    mailerAutoconfirm: !bool(email.enable_confirmations, false),
    secureEmailChange: bool(email.double_confirm_changes, true),
    otpLength: num(email.otp_length, 6),
    otpExpiry: num(email.otp_expiry, 3600),
    maxFrequency: parseDuration(str(email.max_frequency, "1s")) ?? 1,
    flowStateExpiry: 300,
    rateLimit: {
      emailSent: num(rate.email_sent, 2),
      smsSent: num(rate.sms_sent, 30),
      signInSignUps: num(rate.sign_in_sign_ups, 30),
      tokenVerifications: num(rate.token_verifications, 30),
      tokenRefresh: num(rate.token_refresh, 150),
    },
    sms: smsFrom(auth, defaultSmsSecret),
    customAccessTokenHook: bool(hook.enabled, false) ? hookFrom(str(hook.uri, "")) : undefined,
    external,
  };
}

/** Reads `[auth]` from supabase/config.toml (or the given file). */
export function loadAuthConfig(file = new URL("../../supabase/config.toml", import.meta.url)): AuthConfig {
  const parsed = parse(Deno.readTextFileSync(file)) as Table;
  // SEND_SMS_HOOK_SECRET unset: the local stack's published default, which the function also uses locally.
  return authConfigFrom(table(parsed.auth), () => LOCAL_SEND_SMS_HOOK_SECRET);
}
