/** A wallet's statement: its entries, newest first, paginated by keyset and filtered by kind and date. */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { endOf, startOf } from "./date_range.ts";
import type { DB } from "../db/types.ts";
import { decodeCursor, encodeCursor, pageSize } from "./cursor.ts";
import type { Counterparty } from "./counterparties.ts";

type TransactionRow = Selectable<DB["ledger.transactions"]>;
type EntryRow = Selectable<DB["ledger.entries"]>;

/** ledger.transaction_kind. */
export type TransactionKind = TransactionRow["kind"];

export interface LedgerEntry {
  transactionId: EntryRow["transaction_id"];
  leg: EntryRow["leg"];
  kind: TransactionKind;
  /** Signed rials from the wallet's point of view: positive money in, negative money out. */
  amount: bigint;
  createdAt: TransactionRow["created_at"];
  metadata: Record<string, unknown>;
  /** For a reversal, the transaction it reverses. */
  reverses: TransactionRow["reverses"];
}

export interface EntriesPage {
  entries: LedgerEntry[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface ListEntriesOptions {
  /** Whose wallet (default: the signed-in user's); RLS applies. */
  userId?: string;
  cursor?: string;
  limit?: number;
  kinds?: TransactionKind[];
  /** Inclusive lower bound on the transaction time. */
  from?: Date;
  /** Exclusive upper bound on the transaction time. */
  to?: Date;
  /** Only transactions after this id (live updates: what is new since a page was shown). */
  newerThan?: string;
}

/** A wallet's entries with their transactions (RLS applies: the owner's own, or any with wallet.view). */
function walletEntries(tx: Tx, userId: string | undefined) {
  return tx.selectFrom("ledger.entries as e")
    .innerJoin("ledger.transactions as t", "t.id", "e.transaction_id")
    .select(["e.transaction_id", "e.leg", "e.amount", "t.kind", "t.created_at", "t.metadata", "t.reverses"])
    .where("e.account_id", "=", (eb) =>
      eb.selectFrom("ledger.accounts as a").select("a.id")
        .where("a.user_id", "=", sql<string>`coalesce(${userId ?? null}::uuid, auth.uid())`));
}

type EntryQueryRow = Awaited<ReturnType<ReturnType<typeof walletEntries>["execute"]>>[number];

const toEntry = (r: EntryQueryRow): LedgerEntry => ({
  transactionId: r.transaction_id,
  leg: r.leg,
  kind: r.kind,
  amount: BigInt(r.amount),
  createdAt: r.created_at,
  metadata: r.metadata as Record<string, unknown>,
  reverses: r.reverses,
});

/** The query of one page of entries (limit + 1 rows, to know whether there is a next page). */
function pageQuery(tx: Tx, options: ListEntriesOptions, limit: number) {
  const after = options.cursor ? decodeCursor(options.cursor, 2) : undefined;
  let query = walletEntries(tx, options.userId)
    .orderBy("e.transaction_id", "desc").orderBy("e.leg", "desc")
    .limit(limit + 1);
  if (after) {
    query = query.where(({ eb, refTuple, tuple }) =>
      eb(refTuple("e.transaction_id", "e.leg"), "<", tuple(after[0], Number(after[1])))
    );
  }
  if (options.kinds?.length) query = query.where("t.kind", "in", options.kinds);
  if (options.from) query = query.where("t.created_at", ">=", options.from);
  if (options.to) query = query.where("t.created_at", "<", options.to);
  if (options.newerThan) query = query.where("e.transaction_id", ">", options.newerThan);
  return query;
}

function toPage(rows: EntryQueryRow[], limit: number): EntriesPage {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map(toEntry),
    nextCursor: rows.length > limit && last ? encodeCursor([last.transaction_id, last.leg]) : null,
  };
}

/** One page of a wallet's entries, newest first. */
export async function listEntries(tx: Tx, options: ListEntriesOptions = {}): Promise<EntriesPage> {
  const limit = pageSize(options.limit);
  return toPage(await pageQuery(tx, options, limit).execute(), limit);
}

/**
 * One page of the caller's own entries with the other side of each transfer on it, in one statement (the
 * wallet page: private.history_counterparties answers for auth.uid()'s wallet only, the handles masked).
 */
export async function listOwnEntriesWithCounterparties(
  tx: Tx,
  options: Omit<ListEntriesOptions, "userId"> = {},
): Promise<EntriesPage & { counterparties: Map<string, Counterparty> }> {
  const limit = pageSize(options.limit);
  const { rows } = await sql<
    EntryQueryRow & { cp_user_id: string | null; cp_name: string | null; cp_masked: string | null }
  >`
    with page as materialized ${pageQuery(tx, options, limit)}
    select page.*, cp.user_id as cp_user_id, cp.full_name as cp_name, cp.masked as cp_masked
    from page left join private.history_counterparties(
      array(select p.transaction_id from page p where p.kind = 'transfer')) cp
      on cp.transaction_id = page.transaction_id
    order by page.transaction_id desc, page.leg desc`.execute(tx);
  const counterparties = new Map<string, Counterparty>();
  for (const r of rows.slice(0, limit)) {
    if (r.cp_masked !== null) {
      counterparties.set(String(r.transaction_id), {
        userId: r.cp_user_id ?? "",
        name: r.cp_name ?? "",
        masked: r.cp_masked,
      });
    }
  }
  return { ...toPage(rows, limit), counterparties };
}

/** The wallet's entry of one transaction, or undefined when the wallet has none the caller may read. */
export async function findEntry(
  tx: Tx,
  transactionId: string,
  userId?: string,
): Promise<LedgerEntry | undefined> {
  const row = await walletEntries(tx, userId).where("e.transaction_id", "=", transactionId)
    .orderBy("e.leg").limit(1).executeTakeFirst();
  return row && toEntry(row);
}

/** History filters as people and API clients give them: a kind and Tehran calendar days (`to` inclusive). */
export interface EntriesFilter {
  kind?: TransactionKind;
  from?: string;
  to?: string;
}

/** The filters as listEntries options. */
export function entriesFilter(filter: EntriesFilter): Pick<ListEntriesOptions, "kinds" | "from" | "to"> {
  return {
    kinds: filter.kind ? [filter.kind] : undefined,
    from: filter.from ? startOf(filter.from) : undefined,
    to: filter.to ? endOf(filter.to) : undefined,
  };
}
