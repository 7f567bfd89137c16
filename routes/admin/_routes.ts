// routes/admin/_routes.ts — the staff area under /admin: one guard (admin.access and a live session) for all of it
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { adminGuard } from "./_middleware.ts";
import { adminHome } from "./index.tsx";
import { adminUsers } from "./users/index.tsx";
import { adminUser } from "./users/[id].tsx";
import { adminUserWallet } from "./users/wallet.tsx";
import { adminAudit } from "./audit.tsx";
import { adminPayments } from "./payments/index.tsx";
import { adminPaymentsExport } from "./payments/export.ts";
import { adminPayment } from "./payments/[id].tsx";
import { adminWallets } from "./wallets/index.tsx";
import { adminWallet } from "./wallets/[user_id].tsx";
import { adminWalletReceipt } from "./wallets/receipts.tsx";
import { adminWithdrawals } from "./withdrawals/index.tsx";
import { adminWithdrawal } from "./withdrawals/[id].tsx";
import { adminWithdrawalsExport } from "./withdrawals/export.ts";
import { adminLedgerHealth } from "./ledger/health.tsx";
import { adminApprovals } from "./approvals.tsx";
import { adminApiKeys } from "./api-keys/index.tsx";
import { adminTickets } from "./tickets/_routes.ts";
import { adminNotificationPages } from "./notifications/_routes.ts";
import { adminBroadcasts } from "./broadcasts/index.tsx";

export const admin = new Hono<AppEnv>()
  .use(adminGuard)
  .route("/", adminHome)
  .route("/users", adminUsers)
  .route("/users", adminUser)
  .route("/users", adminUserWallet)
  .route("/audit", adminAudit)
  .route("/payments", adminPayments)
  .route("/payments/export.csv", adminPaymentsExport)
  .route("/payments", adminPayment)
  .route("/wallets", adminWallets)
  .route("/wallets", adminWallet)
  .route("/wallets", adminWalletReceipt)
  .route("/withdrawals", adminWithdrawals)
  .route("/withdrawals/export.csv", adminWithdrawalsExport)
  .route("/withdrawals", adminWithdrawal)
  .route("/ledger/health", adminLedgerHealth)
  .route("/approvals", adminApprovals)
  .route("/api-keys", adminApiKeys)
  .route("/tickets", adminTickets)
  .route("/notifications", adminNotificationPages)
  .route("/broadcasts", adminBroadcasts);
