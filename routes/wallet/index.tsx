// routes/wallet/index.tsx — GET /wallet (balance cards that update live, history with filters and keyset pages,
// the outcome of a top-up when arriving with ?payment=<id>)
import { z } from "zod";
import { int8Id } from "../../lib/http/schemas.ts";
import { optionalField } from "../../lib/http/form_fields.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { entriesFilter, listEntries } from "../../lib/wallet/entries.ts";
import { findPayment } from "../../lib/payments/store.ts";
import { WalletPage } from "../../components/wallet/WalletPage.tsx";
import { historyQuery } from "./_query.ts";
import { userRoutes } from "../../lib/auth/guards.ts";

const query = historyQuery.extend({
  payment: optionalField(int8Id),
  notice: z.enum(["transferred"]).optional(),
});

export const walletPage = userRoutes().get("/", validate("query", query), async (c) => {
  const q = c.req.valid("query");
  // Started together, the reads travel to Postgres together (one round trip with the claims, then COMMIT).
  const [wallet, page, payment] = await c.var.asUser((tx) =>
    Promise.all([
      walletSummary(tx),
      listEntries(tx, { ...entriesFilter(q), cursor: q.cursor, limit: 20 }),
      q.payment ? findPayment(tx, q.payment) : undefined,
    ])
  );
  const { t, locale } = c.var;
  return renderPage(
    c,
    <WalletPage
      t={t}
      locale={locale}
      wallet={wallet}
      entries={page.entries}
      filters={{ kind: q.kind, from: q.from, to: q.to }}
      cursor={q.cursor}
      nextCursor={page.nextCursor}
      payment={payment}
      notice={q.notice}
    />,
    { title: t("wallet.title") },
  );
});
