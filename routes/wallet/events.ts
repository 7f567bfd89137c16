// routes/wallet/events.ts — GET /wallet/events (SSE: the signed-in user's balances now and after every change)
import { streamSSE } from "hono/streaming";

import { asUser } from "../../lib/db/client.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { unwatchWallet, watchWallet } from "../../lib/wallet/watch.ts";
import { subscribeWallet, type WalletChange } from "../../lib/wallet/live_feed.ts";
import { userRoutes } from "../../lib/auth/guards.ts";

/** The watch lasts this long unless renewed; it is renewed at a third of it, with a keep-alive comment. */
const WATCH_SECONDS = 60;
/** Streams end after this long and the browser reconnects (with a freshly refreshed session cookie). */
const MAX_STREAM_MS = 15 * 60_000;

export const walletEvents = userRoutes().get("/", (c) => {
  const claims = c.var.user();
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
      const now = await asUser(claims, (tx) => walletSummary(tx));
      await stream.writeSSE({
        event: "balance",
        data: JSON.stringify({
          balance: String(now.balance),
          held: String(now.held),
          available: String(now.available),
        }),
      });
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
        for (const change of changes.splice(0)) {
          const { balance, held, available } = change;
          await stream.writeSSE({ event: "balance", data: JSON.stringify({ balance, held, available }) });
        }
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
