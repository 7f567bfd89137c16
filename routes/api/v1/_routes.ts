// routes/api/v1/_routes.ts — the JSON API under /api/v1; each resource brings its own guard (user session or
// bearer token, an API key (pk_live_…) for charges and batch transfers, nothing for the public OpenAPI document)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { walletApi } from "./wallet.ts";
import { withdrawalsApi } from "./withdrawals.ts";
import { chargesApi } from "./charges.ts";
import { transfersApi } from "./transfers.ts";
import { adminApi } from "./admin.ts";
import { ticketsApi } from "./tickets.ts";
import { openApiRoute } from "./openapi.ts";
import { authApi } from "./auth.ts";
import { notificationsApi } from "./notifications.ts";

export const api = new Hono<AppEnv>()
  .route("/openapi.json", openApiRoute)
  .route("/wallet", walletApi)
  .route("/withdrawals", withdrawalsApi)
  .route("/charges", chargesApi)
  .route("/transfers", transfersApi)
  .route("/tickets", ticketsApi)
  .route("/admin", adminApi)
  .route("/auth", authApi)
  .route("/notifications", notificationsApi);
