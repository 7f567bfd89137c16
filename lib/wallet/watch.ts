/**
 * Live wallet views: while registered, every change of the wallet is announced on the Postgres channel
 * `wallet_changed` ({user_id, account_id, balance, held, available, updated_at}; money as strings).
 * Only watched wallets are announced, because NOTIFY serializes the commits that send it.
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { walletErrors } from "./errors.ts";

export interface WatchInput {
  /** One id per live view (e.g. per SSE connection). */
  session: string;
  /** How long the registration lasts unless renewed (5..3600, default 120). */
  seconds?: number;
  /** Another user's wallet (needs `wallet.view`); default the signed-in user's. */
  userId?: string;
}

/** Registers (or renews) a live view of a wallet. */
export async function watchWallet(tx: Tx, input: WatchInput): Promise<void> {
  await walletErrors.mapping(() =>
    sql`select ledger.watch_wallet(${input.session}, ${input.seconds ?? 120}::integer, ${
      input.userId ?? null
    }::uuid)`
      .execute(tx)
  );
}

/** Ends a live view. */
export async function unwatchWallet(tx: Tx, input: { session: string; userId?: string }): Promise<void> {
  await walletErrors.mapping(() =>
    sql`select ledger.unwatch_wallet(${input.session}, ${input.userId ?? null}::uuid)`.execute(tx)
  );
}
