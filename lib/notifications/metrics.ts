/**
 * Prometheus text for GET /metrics: the notification pipeline's figures, read from Postgres in one call
 * (notifications.metrics()), so every dispatcher instance — Edge Function invocations included — is counted.
 */
import { sql } from "kysely";
import { asService, type Database, db } from "../db/client.ts";

export const LATENCY_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300];

interface Figures {
  messages: { channel: string; provider: string; status: string; count: number }[];
  attempts: { provider: string; outcome: string; count: number }[];
  latency: { buckets: number[]; sum: number; count: number };
  queue: { channel: string; status: string; count: number }[];
  circuits: { provider: string; open: boolean }[];
}

const label = (labels: Record<string, string>) =>
  `{${Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",")}}`;

export function prometheusText(f: Figures): string {
  const lines: string[] = [];
  lines.push("# HELP pishkhan_notifications_messages Outbox messages by channel, provider and status.");
  lines.push("# TYPE pishkhan_notifications_messages gauge");
  for (const m of f.messages) {
    lines.push(
      `pishkhan_notifications_messages${
        label({ channel: m.channel, provider: m.provider, status: m.status })
      } ${m.count}`,
    );
  }
  lines.push(
    "# HELP pishkhan_notifications_attempts_total Send attempts and delivery reports by provider and outcome.",
  );
  lines.push("# TYPE pishkhan_notifications_attempts_total counter");
  for (const a of f.attempts) {
    lines.push(
      `pishkhan_notifications_attempts_total${
        label({ provider: a.provider, outcome: a.outcome })
      } ${a.count}`,
    );
  }
  lines.push(
    "# HELP pishkhan_notifications_dispatch_latency_seconds From enqueue to accepted by a provider.",
  );
  lines.push("# TYPE pishkhan_notifications_dispatch_latency_seconds histogram");
  LATENCY_BUCKETS.forEach((le, i) =>
    lines.push(
      `pishkhan_notifications_dispatch_latency_seconds_bucket${label({ le: String(le) })} ${
        f.latency.buckets[i] ?? 0
      }`,
    )
  );
  lines.push(
    `pishkhan_notifications_dispatch_latency_seconds_bucket${label({ le: "+Inf" })} ${f.latency.count}`,
  );
  lines.push(`pishkhan_notifications_dispatch_latency_seconds_sum ${f.latency.sum}`);
  lines.push(`pishkhan_notifications_dispatch_latency_seconds_count ${f.latency.count}`);
  lines.push(
    "# HELP pishkhan_notifications_queue_depth Messages waiting (queued, being sent, held for the digest).",
  );
  lines.push("# TYPE pishkhan_notifications_queue_depth gauge");
  for (const q of f.queue) {
    lines.push(
      `pishkhan_notifications_queue_depth${label({ channel: q.channel, status: q.status })} ${q.count}`,
    );
  }
  lines.push("# HELP pishkhan_notifications_circuit_open 1 while a provider's circuit breaker is open.");
  lines.push("# TYPE pishkhan_notifications_circuit_open gauge");
  for (const c of f.circuits) {
    lines.push(`pishkhan_notifications_circuit_open${label({ provider: c.provider })} ${c.open ? 1 : 0}`);
  }
  return lines.join("\n") + "\n";
}

export async function notificationMetrics(database: Database = db()): Promise<string> {
  const { rows } = await asService(
    (tx) => sql<{ figures: Figures }>`select notifications.metrics() as figures`.execute(tx),
    database,
  );
  return prometheusText(rows[0].figures);
}
