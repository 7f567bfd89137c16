// routes/admin/wallets/receipts.tsx — GET /admin/wallets/:user_id/receipts/:id (a customer's transaction
// receipt for staff with wallet.view and users.view; RLS decides again)
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../lib/http/env.ts";
import { validate } from "../../../lib/http/validate.ts";
import { receiptParams, showReceipt } from "../../wallet/receipts/[id].tsx";
import { walletLookup } from "./index.tsx";

const params = receiptParams.extend({ user_id: z.uuid() });

export const adminWalletReceipt = new Hono<AppEnv>().get(
  "/:user_id/receipts/:id",
  walletLookup,
  validate("param", params),
  (c) => {
    const { user_id, id } = c.req.valid("param");
    return showReceipt(c, user_id, id, {
      back: { href: `/admin/wallets/${user_id}`, label: c.var.t("wallet.backToWallet") },
      payment: (paymentId) => `/admin/payments/${paymentId}`,
    });
  },
);
