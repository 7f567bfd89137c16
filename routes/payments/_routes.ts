// routes/payments/_routes.ts — the payer's pages under /wallet/topup and /wallet/payments (signed-in users only)
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { topup } from "./topup.tsx";
import { paymentHistory } from "./history.tsx";
import { paymentResult } from "./result.tsx";

export const paymentRoutes = new Hono<AppEnv>()
  .use("/wallet/topup", requireUser)
  .use("/wallet/payments", requireUser)
  .use("/wallet/payments/*", requireUser)
  .route("/", topup)
  .route("/", paymentHistory)
  .route("/", paymentResult);
