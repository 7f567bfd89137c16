// routes/admin/payments/_routes.ts — staff payments under /admin/payments (main.ts mounts it after the admin
// routes, whose guard — admin.access and a live session — covers every /admin/* path)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { adminPaymentsExport } from "./export.ts";
import { adminPayments } from "./index.tsx";
import { adminPayment } from "./[id].tsx";

export const adminPaymentRoutes = new Hono<AppEnv>()
  .route("/", adminPaymentsExport)
  .route("/", adminPayments)
  .route("/", adminPayment);
