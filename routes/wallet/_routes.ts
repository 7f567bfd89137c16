// routes/wallet/_routes.ts — everything under /wallet (signed-in users only: each module brings its guard)
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { walletPage } from "./index.tsx";
import { walletTransfer } from "./transfer.tsx";
import { walletWithdrawals } from "./withdrawals.tsx";
import { walletExport } from "./export.ts";
import { walletEvents } from "./events.tsx";
import { topup } from "./topup.tsx";
import { paymentHistory } from "./payments/index.tsx";
import { paymentResult } from "./payments/[id].tsx";
import { walletReceipt } from "./receipts/[id].tsx";

export const wallet = new Hono<AppEnv>()
  .route("/", walletPage)
  .route("/transfer", walletTransfer)
  .route("/withdrawals", walletWithdrawals)
  .route("/export.csv", walletExport)
  .route("/events", walletEvents)
  .route("/topup", topup)
  .route("/payments", paymentHistory)
  .route("/payments", paymentResult)
  .route("/receipts", walletReceipt);
