// routes/metrics.ts — GET /metrics: Prometheus text, for a scraper that sends `Authorization: Bearer
// <METRICS_TOKEN>`. Without METRICS_TOKEN configured the endpoint does not exist (404).
import { Hono } from "hono";
import { config } from "../lib/config.ts";
import { notificationMetrics } from "../lib/notifications/metrics.ts";
import { constantTimeEqual } from "../lib/notifications/signatures.ts";

export const metrics = new Hono().get("/", async (c) => {
  const token = config().METRICS_TOKEN;
  if (!token) return c.text("Not Found", 404);
  const given = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  if (!constantTimeEqual(given, token)) {
    return c.text("Unauthorized", 401, { "WWW-Authenticate": 'Bearer realm="metrics"' });
  }
  return c.text(await notificationMetrics(), 200, {
    "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
    "Cache-Control": "no-store",
  });
});
