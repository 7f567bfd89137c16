// routes/wallet/events.tsx — GET /wallet/events (SSE: the signed-in user's balances now and after every change,
// and each new transaction as a history row, with a toast text for money coming in). ?after=<transaction id>:
// the newest row the page shows; rows after it are sent at once.
import { streamSSE } from "hono/streaming";
import { renderToString } from "preact-render-to-string";
import { z } from "zod";
import { int8Id } from "../../lib/http/schemas.ts";
import { optionalField } from "../../lib/http/form_fields.ts";
import { validate } from "../../lib/http/validate.ts";
import type { AppContext } from "../../lib/http/env.ts";
import type { UserClaims } from "../../lib/auth/tokens.ts";
import { formatToman } from "../../lib/i18n/format.ts";
import { listEntries } from "../../lib/wallet/entries.ts";
import { loadCounterparties } from "../../lib/wallet/counterparties.ts";
import { EntriesTable } from "../../components/wallet/EntriesTable.tsx";
import type { LiveEntry } from "../../islands/LiveBalance.tsx";

import { asUser } from "../../lib/db/client.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { unwatchWallet, watchWallet } from "../../lib/wallet/watch.ts";
import { subscribeWallet, type WalletChange } from "../../lib/wallet/live_feed.ts";
import { userRoutes } from "../../lib/auth/guards.ts";

/** The watch lasts this long unless renewed; it is renewed at a third of it, with a keep-alive comment. */
const WATCH_SECONDS = 60;
/** Streams end after this long and the browser reconnects (with a freshly refreshed session cookie). */
const MAX_STREAM_MS = 15 * 60_000;

const query = z.object({ after: optionalField(int8Id) });

/** Entries newer than `after` (oldest first, at most 20) as live rows; the toast names who sent money in. */
async function newRows(c: AppContext, claims: UserClaims, after: string): Promise<LiveEntry[]> {
  const { entries } = await asUser(claims, (tx) => listEntries(tx, { newerThan: after, limit: 20 }));
  if (entries.length === 0) return [];
  const counterparties = await loadCounterparties(claims.sub, entries);
  const { t, locale } = c.var;
  return entries.reverse().map((entry) => {
    const who = counterparties.get(entry.transactionId);
    const amount = formatToman(entry.amount, locale);
    const html = renderToString(
      <EntriesTable
        t={t}
        locale={locale}
        entries={[entry]}
        caption={t("wallet.history")}
        counterparties={counterparties}
        receiptHref={(id) => `/wallet/receipts/${id}`}
      />,
    );
    const toast = entry.amount <= 0n
      ? undefined
      : who
      ? t("wallet.live.incoming", { amount, name: `\u2068${who.name || who.masked}\u2069` }) // isolated: any script
      : t("wallet.live.credited", { amount });
    return { transactionId: entry.transactionId, html, toast };
  });
}

export const walletEvents = userRoutes().get("/", validate("query", query), (c) => {
  const claims = c.var.user();
  const after = c.req.valid("query").after;
  const session = crypto.randomUUID();
  return streamSSE(c, async (stream) => {
    const changes: WalletChange[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = await subscribeWallet(claims.sub, (change) => {
      changes.push(change);
      wake?.();
    });
    stream.onAbort(() => wake?.());
    try {
      await asUser(claims, (tx) => watchWallet(tx, { session, seconds: WATCH_SECONDS }));
      // The rows the page missed are read BEFORE the balance: the balance sent first then covers every row
      // sent with it (a toast never announces money the balance does not show yet), and a posting that
      // commits after the balance read comes as a change, since the wallet is watched by now.
      const missed = after ? await newRows(c, claims, after) : [];
      const now = await asUser(claims, (tx) => walletSummary(tx));
      let seen = after ??
        (await asUser(claims, (tx) => listEntries(tx, { limit: 1 }))).entries[0]?.transactionId ?? "0";
      const sendRows = async (rows: LiveEntry[]) => {
        for (const row of rows) {
          await stream.writeSSE({ event: "entry", data: JSON.stringify(row) });
          seen = row.transactionId;
        }
      };
      const sendNewRows = async () => await sendRows(await newRows(c, claims, seen));
      await stream.writeSSE({
        event: "balance",
        data: JSON.stringify({
          balance: String(now.balance),
          held: String(now.held),
          available: String(now.available),
        }),
      });
      await sendRows(missed);
      const ends = Date.now() + MAX_STREAM_MS;
      let renewAt = Date.now() + (WATCH_SECONDS * 1000) / 3;
      while (!stream.aborted && !stream.closed && Date.now() < ends) {
        if (changes.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, Math.max(0, renewAt - Date.now()));
            function done() {
              clearTimeout(timer);
              wake = undefined;
              resolve();
            }
            wake = done;
          });
        }
        const batch = changes.splice(0);
        for (const change of batch) {
          const { balance, held, available } = change;
          await stream.writeSSE({ event: "balance", data: JSON.stringify({ balance, held, available }) });
        }
        if (batch.length > 0) await sendNewRows();
        if (Date.now() >= renewAt && !stream.aborted) {
          await asUser(claims, (tx) => watchWallet(tx, { session, seconds: WATCH_SECONDS }));
          await stream.write(": keep-alive\n\n");
          renewAt = Date.now() + (WATCH_SECONDS * 1000) / 3;
        }
      }
    } finally {
      await unsubscribe();
      await asUser(claims, (tx) => unwatchWallet(tx, { session })).catch(() => {});
    }
  });
});
