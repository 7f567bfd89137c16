/**
 * The other side of a transfer, for history rows, receipts and live rows: the other wallet's user with the
 * name and a masked handle (the email, else the verified phone), and whether the money went "to" them or came
 * "from" them. Read through ledger.transaction_counterparties (service_role), for an owner whose entries the
 * caller has already read under RLS.
 */
import { sql } from "kysely";
import { asService, type Tx } from "../db/client.ts";
import { maskPhone } from "../users/phone.ts";
import { maskEmail } from "./recipient.ts";
import type { LedgerEntry } from "./entries.ts";

export interface Counterparty {
  userId: string;
  /** What the user wrote on their profile; may be empty. */
  name: string;
  /** e.g. "s***@example.com" or "+98 912 *** 6789". */
  masked: string;
}

/** Counterparties of `owner`'s transfers among `transactionIds`, by transaction id (run as service_role). */
export async function counterpartiesOf(
  tx: Tx,
  owner: string,
  transactionIds: readonly string[],
): Promise<Map<string, Counterparty>> {
  const ids = [...new Set(transactionIds)];
  if (ids.length === 0) return new Map();
  const { rows } = await sql<
    {
      transaction_id: string;
      user_id: string | null;
      full_name: string;
      email: string | null;
      phone: string | null;
    }
  >`select * from ledger.transaction_counterparties(${owner}::uuid,
      string_to_array(${ids.join(",")}, ',')::bigint[])`.execute(tx);
  return new Map(rows.map((r) => [String(r.transaction_id), {
    userId: r.user_id ?? "",
    name: r.full_name,
    masked: r.email ? maskEmail(r.email) : r.phone ? maskPhone(r.phone) : "***",
  }]));
}

/**
 * The counterparties of `owner`'s transfers among `entries`, in their own service transaction: for pages that
 * read the entries as the user first. Only transfers have one, so other entries cost no query.
 */
export function loadCounterparties(
  owner: string,
  entries: readonly Pick<LedgerEntry, "transactionId" | "kind">[],
): Promise<Map<string, Counterparty>> {
  const ids = entries.filter((e) => e.kind === "transfer").map((e) => e.transactionId);
  return ids.length === 0
    ? Promise.resolve(new Map<string, Counterparty>())
    : asService((tx) => counterpartiesOf(tx, owner, ids));
}

/**
 * The other side of the caller's own transfers among `transactionIds`, in the caller's transaction (as the
 * user): private.history_counterparties answers for auth.uid()'s wallet only, with the handles masked.
 */
export async function ownCounterparties(
  tx: Tx,
  transactionIds: readonly string[],
): Promise<Map<string, Counterparty>> {
  if (transactionIds.length === 0) return new Map();
  const { rows } = await sql<
    { transaction_id: string; user_id: string | null; full_name: string; masked: string }
  >`
    select * from private.history_counterparties(string_to_array(${transactionIds.join(",")}, ',')::bigint[])`
    .execute(tx);
  return new Map(
    rows.map((
      r,
    ) => [String(r.transaction_id), { userId: r.user_id ?? "", name: r.full_name, masked: r.masked }]),
  );
}
