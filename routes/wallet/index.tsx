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
import { getProfile, takeWelcome } from "../../lib/users/profile.ts";

const query = historyQuery.extend({
  payment: optionalField(int8Id),
  notice: z.enum(["transferred"]).optional(),
});

export const walletPage = userRoutes().get("/", validate("query", query), async (c) => {
  const q = c.req.valid("query");
  const { wallet, page, payment, welcome } = await c.var.asUser(async (tx) => ({
    wallet: await walletSummary(tx),
    page: await listEntries(tx, { ...entriesFilter(q), cursor: q.cursor, limit: 20 }),
    payment: q.payment ? await findPayment(tx, q.payment) : undefined,
    welcome: await takeWelcome(tx)
      ? { hasPhone: !!(await getProfile(tx, c.var.user().sub))?.phone }
      : undefined,
  }));
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
      welcome={welcome}
    />,
    { title: t("wallet.title") },
  );
});
