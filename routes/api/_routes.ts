// routes/api/_routes.ts — the JSON API under /api/v1 and its guards; errors and unknown paths get the app's JSON
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { walletApi } from "./wallet.ts";
import { withdrawalsApi } from "./withdrawals.ts";
import { chargesApi } from "./charges.ts";
import { adminApi } from "./admin.ts";
import { openApiRoute } from "./openapi.ts";

export const apiRoutes = new Hono<AppEnv>()
  .use("/api/v1/wallet", requireUser)
  .use("/api/v1/wallet/*", requireUser)
  .use("/api/v1/withdrawals", requireUser)
  .use("/api/v1/admin/*", requireUser)
  .route("/", openApiRoute)
  .route("/", walletApi)
  .route("/", withdrawalsApi)
  .route("/", chargesApi)
  .route("/", adminApi);
