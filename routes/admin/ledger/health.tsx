// routes/admin/ledger/health.tsx — GET /admin/ledger/health (wallet.view: runs ledger.check_invariants now and
// lists the system accounts' balances)
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { ledgerHealth } from "../../../lib/wallet/health.ts";
import { LedgerHealthPage } from "../../../components/wallet/LedgerHealthPage.tsx";

export const adminLedgerHealth = new Hono<AppEnv>().get("/", requirePermission("wallet.view"), async (c) => {
  const health = await ledgerHealth();
  return renderPage(
    c,
    <LedgerHealthPage t={c.var.t} locale={c.var.locale} health={health} checkedAt={new Date()} />,
    {
      title: c.var.t("admin.ledger.title"),
    },
  );
});
