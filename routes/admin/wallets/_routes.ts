// routes/admin/wallets/_routes.ts — staff wallet pages: wallets, withdrawals queue and ledger health (main.ts
// mounts this after the admin routes, whose guard — admin.access and a live session — covers every /admin/* path)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { adminWallets } from "./index.tsx";
import { adminWallet } from "./[user_id].tsx";
import { adminWithdrawals } from "../withdrawals/index.tsx";
import { adminLedgerHealth } from "../ledger/health.tsx";

export const adminWalletRoutes = new Hono<AppEnv>()
  .route("/", adminWallets)
  .route("/", adminWallet)
  .route("/", adminWithdrawals)
  .route("/", adminLedgerHealth);
