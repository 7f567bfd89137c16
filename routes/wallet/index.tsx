// routes/wallet/index.tsx — GET /wallet (balance cards that update live, history with filters and keyset pages,
// the outcome of a top-up when arriving with ?payment=<id>, of a transfer with ?notice=transferred&tx=<id>)
import { z } from "zod";
import { int8Id } from "../../lib/http/schemas.ts";
import { optionalField } from "../../lib/http/form_fields.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { entriesFilter, findEntry, listOwnEntriesWithCounterparties } from "../../lib/wallet/entries.ts";
import { ownCounterparties } from "../../lib/wallet/counterparties.ts";
import { findPayment } from "../../lib/payments/store.ts";
import { WalletPage } from "../../components/wallet/WalletPage.tsx";
import { historyQuery } from "./_query.ts";
import { readDayFilters } from "../../lib/i18n/day_range.ts";
import { userRoutes } from "../../lib/auth/guards.ts";
import { getProfile, takeWelcome } from "../../lib/users/profile.ts";

const query = historyQuery.extend({
  payment: optionalField(int8Id),
  notice: z.enum(["transferred"]).optional(),
  /** The transfer just sent (with notice=transferred). */
  tx: optionalField(int8Id),
});

export const walletPage = userRoutes().get("/", validate("query", query), async (c) => {
  const typed = c.req.valid("query");
  const { filters: q, days, status } = readDayFilters(typed);
  const me = c.var.user().sub;
  // Started together, the reads travel to Postgres together (one round trip with the claims, then COMMIT); the
  // history names the other side of each transfer in the same statement.
  const [wallet, page, payment, sent, welcome] = await c.var.asUser((tx) =>
    Promise.all([
      walletSummary(tx),
      listOwnEntriesWithCounterparties(tx, { ...entriesFilter(q), cursor: q.cursor, limit: 20 }),
      q.payment ? findPayment(tx, q.payment) : undefined,
      q.notice === "transferred" && q.tx
        ? findEntry(tx, q.tx).then(async (entry) =>
          entry &&
          { entry, who: (await ownCounterparties(tx, [entry.transactionId])).get(entry.transactionId) }
        )
        : undefined,
      takeWelcome(tx).then(async (first) =>
        first ? { hasPhone: !!(await getProfile(tx, me))?.phone } : undefined
      ),
    ])
  );
  const counterparties = page.counterparties;
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
      days={days}
      sent={sent && { amount: sent.entry.amount, counterparty: sent.who }}
      counterparties={counterparties}
    />,
    { title: t("wallet.title"), status },
  );
});
