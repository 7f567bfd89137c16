// routes/healthz.ts — GET /healthz (liveness and database reachability, for load balancers)
import { Hono } from "hono";
import { ping } from "../lib/db/client.ts";

export const healthz = new Hono().get("/", async (c) => {
  const dbOk = await ping();
  return c.json({ status: dbOk ? "ok" : "degraded", db: dbOk ? "ok" : "unreachable" }, dbOk ? 200 : 503);
});
