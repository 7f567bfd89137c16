/**
 * Test and benchmark helper (not a test): the messaging stand-ins, the SMTP stand-in and the
 * notifications-webhook function on one free loopback port, with the process configuration pointed at them
 * (local mode: every provider goes to its stand-in), and the providers the dispatcher uses.
 */
import { Hono } from "hono";
import postgres from "postgres";
import { loadConfig, setConfig } from "../../lib/config.ts";
import { createProviders, type Provider } from "../../lib/notifications/providers.ts";
import type { ProviderName } from "../../lib/notifications/routing.ts";
import { providerSettings } from "../../lib/notifications/settings.ts";
import { createNotifySandboxes } from "../../local/notify/mod.ts";
import type { SandboxState } from "../../local/notify/capture.ts";
import { startSmtpStandIn } from "../../local/notify/smtp.ts";
import webhook from "../../functions/notifications-webhook/index.ts";

export interface NotifyHarness {
  url: string;
  sql: postgres.Sql;
  state: SandboxState;
  providers: Partial<Record<ProviderName, Provider>>;
  /** Sets faults on providers through the stand-ins' own HTTP control routes. */
  faults(provider: "resend" | "twilio" | "kavenegar" | "smsir", body: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startNotifyHarness(databaseUrl: string): Promise<NotifyHarness> {
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  const outboxSql = await Deno.readTextFile(new URL("../../local/sql/dev_outbox.sql", import.meta.url));
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('pishkhan:dev_outbox'))`;
    await tx.unsafe(outboxSql);
  });
  const sandboxes = createNotifySandboxes(sql);
  const smtp = startSmtpStandIn(sandboxes.state);
  const app = new Hono();
  for (const [prefix, sub] of Object.entries(sandboxes.mounts)) app.route(prefix, sub);
  app.all("/functions/v1/notifications-webhook/*", (c) => webhook(c.req.raw));
  const abort = new AbortController();
  let resolvePort: (port: number) => void;
  const listening = new Promise<number>((r) => resolvePort = r);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: abort.signal,
    onListen: ({ port }) => resolvePort(port),
  }, app.fetch);
  const url = `http://127.0.0.1:${await listening}`;
  const env = Deno.env.toObject();
  for (
    const name of [
      "RESEND_API_KEY",
      "RESEND_BASE_URL",
      "TWILIO_ACCOUNT_SID",
      "TWILIO_AUTH_TOKEN",
      "TWILIO_FROM",
      "TWILIO_BASE_URL",
      "KAVENEGAR_API_KEY",
      "KAVENEGAR_BASE_URL",
      "SMSIR_API_KEY",
      "SMSIR_BASE_URL",
    ]
  ) delete env[name];
  setConfig(loadConfig({
    ...env,
    SUPABASE_URL: url,
    PISHKHAN_LOCAL_STACK: "1",
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtp.url,
    LOG_LEVEL: "silent",
  }));
  const { config } = await import("../../lib/config.ts");
  const providers = createProviders({ ...providerSettings(config()), timeoutMs: 5_000 });
  return {
    url,
    sql,
    state: sandboxes.state,
    providers,
    async faults(provider, body) {
      const response = await fetch(`${url}/sandbox/${provider}/_control/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
      await response.body?.cancel();
    },
    async stop() {
      await sandboxes.state.callbacksDone();
      await sandboxes.state.flushed();
      abort.abort();
      await server.finished;
      await smtp.stop();
      await sql.end({ timeout: 2 });
    },
  };
}

/** Runs `fn` with a fresh harness and every circuit closed; stops the harness after. */
export async function withNotifyHarness(fn: (h: NotifyHarness) => Promise<void>) {
  const h = await startNotifyHarness(Deno.env.get("DATABASE_URL")!);
  try {
    await h.sql`update notifications.circuits set failures = 0, opened_until = null`;
    await fn(h);
  } finally {
    await h.stop();
  }
}

/** POST /sandbox/<provider>/_control/<what> on the harness's stand-ins (faults, lifecycle, reset). */
export async function standInControl(h: NotifyHarness, provider: string, what: string, body: unknown) {
  const response = await fetch(`${h.url}/sandbox/${provider}/_control/${what}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${provider} ${what}: ${response.status} ${await response.text()}`);
  await response.body?.cancel();
}
