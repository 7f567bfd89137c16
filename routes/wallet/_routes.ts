// routes/wallet/_routes.ts — the wallet's pages for signed-in users: /wallet, transfer, withdrawals, CSV, live events
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { requireUser } from "../../lib/auth/guards.ts";
import { walletPage } from "./index.tsx";
import { walletTransfer } from "./transfer.tsx";
import { walletWithdrawals } from "./withdrawals.tsx";
import { walletExport } from "./export.ts";
import { walletEvents } from "./events.ts";

export const walletRoutes = new Hono<AppEnv>()
  .use("/wallet", requireUser)
  .use("/wallet/transfer", requireUser)
  .use("/wallet/transfer/*", requireUser)
  .use("/wallet/withdrawals", requireUser)
  .use("/wallet/withdrawals/*", requireUser)
  .use("/wallet/export.csv", requireUser)
  .use("/wallet/events", requireUser)
  .route("/", walletPage)
  .route("/", walletTransfer)
  .route("/", walletWithdrawals)
  .route("/", walletExport)
  .route("/", walletEvents);
