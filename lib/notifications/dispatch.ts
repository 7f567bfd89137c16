/**
 * The dispatcher (functions/notifications-dispatch): claims due outbox rows in batches (notifications.claim:
 * FOR UPDATE SKIP LOCKED with a lease, so several dispatchers never take the same row and a crashed one's rows
 * come back when the lease ends), renders each with its template, sends it through the channel's providers in
 * failover order (skipping providers whose circuit breaker is open), and records the batch's outcomes in one
 * call (notifications.complete): sent, a retry after the backoff (10 s doubling, ±20 % jitter), or dead
 * (a permanent error, or the 8th attempt). It keeps going while rows fall due within its time budget, so the
 * minute pg_cron schedule also sweeps the retries that come due within the minute.
 */
import { sql } from "kysely";
import { asService, type Database, db } from "../db/client.ts";
import { retryDelayMs } from "./backoff.ts";
import { emailHtml } from "./email_html.ts";
import type { OutgoingMessage, Provider } from "./providers.ts";
import { type Locale, localizedData, renderTemplate, templateVariables } from "./render.ts";
import { config } from "../config.ts";
import { translate } from "../i18n/mod.ts";
import { type Channel, type ProviderName, routeFor } from "./routing.ts";

export interface OutboxRow {
  id: string;
  channel: Channel;
  recipient: string;
  event: string;
  locale: Locale;
  data: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

export interface DispatchOptions {
  database?: Database;
  providers: Partial<Record<ProviderName, Provider>>;
  /** Rows per claim (default 200). */
  batch?: number;
  /** Lease on claimed rows, seconds (default 60): a crashed dispatcher's rows are reclaimed after it. */
  leaseSeconds?: number;
  /** Stop claiming after this long (default 50 s: a pg_cron minute). */
  budgetMs?: number;
  /** Messages in flight at once (default 64). */
  concurrency?: number;
  /** Wait at most this long between polls for rows coming due (default 1 s). */
  pollMs?: number;
  worker?: string;
  random?: () => number;
  /** The first retry delay (default 10 s); tests and the benchmark shorten it. */
  firstRetryMs?: number;
  /** Claim only these outbox rows (tests that share a database with others; a staff "send now"). */
  onlyIds?: string[];
  /** Stops claiming (and waiting for rows to fall due) once aborted: the request's signal in the function. */
  signal?: AbortSignal;
  /** Called with each claimed batch before it is sent (the crash test kills the dispatcher here). */
  onClaimed?: (rows: OutboxRow[]) => void | Promise<void>;
}

export interface DispatchReport {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  batches: number;
  ms: number;
}

interface Template {
  subject: string;
  body: string;
  /** The event's link in the app, with {{variables}} (notification_events.link), if it has one. */
  link: string | null;
}

interface Outcome {
  id: string;
  attempt: number;
  provider: ProviderName | null;
  outcome: "sent" | "retry" | "permanent";
  provider_message_id?: string;
  error?: string;
  duration_ms?: number;
  retry_in_ms?: number;
}

interface Failover {
  id: string;
  attempt: number;
  provider: ProviderName;
  error: string;
  duration_ms: number;
}

async function loadTemplates(database: Database): Promise<Map<string, Template>> {
  const rows = await database.selectFrom("notification_templates as t")
    .innerJoin("notification_events as e", "e.key", "t.event")
    .select(["t.event", "t.channel", "t.locale", "t.subject", "t.body", "e.link"])
    .execute();
  return new Map(
    rows.map(({ event, channel, locale, ...template }) => [`${event}|${channel}|${locale}`, template]),
  );
}

/** The event's page in the app as an absolute address, when the message's data names everything it needs. */
function linkFor(
  template: Template,
  data: Record<string, unknown>,
  locale: Locale,
  appUrl: string,
): string | null {
  if (!template.link) return null;
  const missing = templateVariables(template.link).some((name) =>
    data[name] === undefined || data[name] === ""
  );
  return missing ? null : new URL(renderTemplate(template.link, data, locale), appUrl).href;
}

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]);
  });
  await Promise.all(runners);
}

/** Consecutive-failure bookkeeping for one batch, per provider, in the order outcomes happened. */
class CircuitTally {
  #tally = new Map<ProviderName, { successes: number; trailing_failures: number }>();
  record(provider: ProviderName, ok: boolean) {
    const t = this.#tally.get(provider) ?? { successes: 0, trailing_failures: 0 };
    if (ok) {
      t.successes++;
      t.trailing_failures = 0;
    } else t.trailing_failures++;
    this.#tally.set(provider, t);
  }
  toJSON() {
    return [...this.#tally].map(([provider, t]) => ({ provider, ...t }));
  }
}

export function messageFor(
  row: OutboxRow,
  templates: Map<string, Template>,
  appUrl = config().APP_URL,
): OutgoingMessage | string {
  const route = routeFor(row.channel, row.recipient);
  const template = templates.get(`${row.event}|${route.channel}|${row.locale}`);
  if (!template) return `no template for ${row.event} / ${route.channel} / ${row.locale}`;
  const data = localizedData(row.data ?? {}, row.locale);
  const subject = renderTemplate(template.subject, data, row.locale);
  const text = renderTemplate(template.body, data, row.locale);
  const message = { outboxId: String(row.id), channel: route.channel, to: row.recipient, subject, text };
  if (route.channel !== "email") return message;
  // An email also links to the event's page (as the in-app notice does), and carries the text as HTML that
  // reads in the message's direction (email_html.ts) with that link as its button.
  const href = linkFor(template, data, row.locale, appUrl);
  const action = href ? { label: translate(row.locale, "notifications.email.open"), href } : undefined;
  return {
    ...message,
    text: action ? `${text}\n\n${action.label}: ${action.href}` : text,
    html: emailHtml({ subject, text, locale: row.locale, action }),
  };
}

/** Claims and sends until nothing is due within the budget. */
export async function dispatch(options: DispatchOptions): Promise<DispatchReport> {
  const database = options.database ?? db();
  const started = Date.now();
  const deadline = started + (options.budgetMs ?? 50_000);
  const worker = options.worker ?? crypto.randomUUID();
  const report: DispatchReport = { claimed: 0, sent: 0, retried: 0, dead: 0, batches: 0, ms: 0 };
  const templates = await loadTemplates(database);
  const random = options.random ?? Math.random;

  while (Date.now() < deadline && !options.signal?.aborted) {
    const rows = await asService(async (tx) => {
      await sql`select notifications.expand_ledger_events(), notifications.apply_early_reports()`.execute(tx);
      const claimed = await sql<
        OutboxRow
      >`select id::text, channel, recipient, event, locale, data, attempts, max_attempts
        from notifications.claim(${options.batch ?? 200}, ${options.leaseSeconds ?? 60}, ${worker},
          ${options.onlyIds ?? null}::bigint[])`.execute(
        tx,
      );
      return claimed.rows;
    }, database);
    if (rows.length === 0 && options.onlyIds) break; // the caller polls for its own rows' retries
    if (rows.length === 0) {
      const next = await sql<{ due: number | null }>`select notifications.next_due_in() as due`.execute(
        database,
      );
      const due = next.rows[0]?.due;
      if (due === null || due === undefined || Date.now() + due * 1000 >= deadline) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(20, Math.min(due * 1000, options.pollMs ?? 1000)));
        function done() {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", done);
          resolve();
        }
        options.signal?.addEventListener("abort", done);
      });
      continue;
    }
    report.batches++;
    report.claimed += rows.length;
    await options.onClaimed?.(rows);
    const circuits = new Map(
      (await sql<
        { provider: ProviderName; open: boolean }
      >`select provider, open from notifications.circuit_states()`
        .execute(database)).rows.map((c) => [c.provider, c.open]),
    );
    const tally = new CircuitTally();
    const outcomes: Outcome[] = [];
    const failovers: Failover[] = [];
    await pool(rows, options.concurrency ?? 64, async (row) => {
      const outcome = await sendOne(row, templates, options.providers, circuits, tally, failovers);
      if (outcome.outcome === "retry") {
        outcome.retry_in_ms = retryDelayMs(row.attempts, random, options.firstRetryMs);
      }
      outcomes.push(outcome);
    });
    await asService(
      (tx) =>
        sql`select notifications.complete(${worker}, ${JSON.stringify(outcomes)}::text::jsonb, ${
          JSON.stringify(failovers)
        }::text::jsonb, ${JSON.stringify(tally)}::text::jsonb)`.execute(tx),
      database,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const o of outcomes) {
      const row = byId.get(o.id)!;
      if (o.outcome === "sent") report.sent++;
      else if (o.outcome === "permanent" || row.attempts >= row.max_attempts) report.dead++;
      else report.retried++;
    }
  }
  report.ms = Date.now() - started;
  return report;
}

async function sendOne(
  row: OutboxRow,
  templates: Map<string, Template>,
  providers: Partial<Record<ProviderName, Provider>>,
  circuits: Map<ProviderName, boolean>,
  tally: CircuitTally,
  failovers: Failover[],
): Promise<Outcome> {
  const base = { id: row.id, attempt: row.attempts };
  const message = messageFor(row, templates);
  if (typeof message === "string") return { ...base, provider: null, outcome: "permanent", error: message };
  const route = routeFor(row.channel, row.recipient);
  const usable = route.providers.filter((p) => providers[p]);
  if (usable.length === 0) {
    return {
      ...base,
      provider: null,
      outcome: "retry",
      error: `no provider configured for ${route.channel}`,
    };
  }
  const closed = usable.filter((p) => !circuits.get(p));
  // Every circuit open: try the last provider anyway rather than stall (half-open probe).
  const order = closed.length > 0 ? closed : usable.slice(-1);
  const failed: Outcome[] = [];
  const done = (final: Outcome): Outcome => {
    // The failures before the final outcome of this attempt are kept as history (failover tries).
    for (const f of failed) {
      if (f !== final) {
        failovers.push({
          ...base,
          provider: f.provider!,
          error: f.error ?? "",
          duration_ms: f.duration_ms ?? 0,
        });
      }
    }
    return final;
  };
  for (const name of order) {
    const started = performance.now();
    let result;
    try {
      result = await providers[name]!.send(message);
    } catch (error) {
      result = { ok: false as const, permanent: false, error: `${name}: ${(error as Error).message}` };
    }
    const duration_ms = Math.round(performance.now() - started);
    if (result.ok) {
      tally.record(name, true);
      return done({
        ...base,
        provider: name,
        outcome: "sent",
        provider_message_id: result.providerMessageId,
        duration_ms,
      });
    }
    if (result.permanent) {
      return done({ ...base, provider: name, outcome: "permanent", error: result.error, duration_ms });
    }
    tally.record(name, false);
    failed.push({ ...base, provider: name, outcome: "retry", error: result.error, duration_ms });
  }
  return done(failed[failed.length - 1]);
}
