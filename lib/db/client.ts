/** The one data path: Kysely over postgres.js, with RLS-scoped user transactions and explicit service ones. */
import { type CompiledQuery, Kysely, sql, type Transaction } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { config } from "../config.ts";
import type { DB } from "./types.ts";

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;

/** Verified JWT claims as Supabase puts them in `request.jwt.claims`. */
export interface Claims {
  sub?: string;
  role: string;
  [claim: string]: unknown;
}

const DATABASE_ROLES = new Set(["anon", "authenticated", "service_role"]);

const claimsTexts = new WeakMap<Claims, string>();

/**
 * `claims` as the JSON text `request.jwt.claims` holds, made once per claims object: verified tokens' claims
 * are cached objects (lib/auth/tokens.ts), so a token's every request sends the same text. Claims must not
 * be changed after they are first sent.
 */
export function claimsText(claims: Claims): string {
  let text = claimsTexts.get(claims);
  if (text === undefined) claimsTexts.set(claims, text = JSON.stringify(claims));
  return text;
}

type Pool = ReturnType<typeof postgres>;
const pools = new WeakMap<Database, RenewedPool>();

/**
 * Reservations a postgres.js pool serves before a fresh one takes over. postgres.js takes an idle connection
 * with its queue's shift(), which leaves a hole, and release() appends: while some connection stays idle the
 * array never empties, so it grows by one slot per reservation and every reserve scans it (3 µs at first,
 * 10 µs after 120,000; see docs/performance.md). Every query here reserves (asUser, asService, Kysely).
 */
export const RESERVATIONS_PER_POOL = 50_000;

/**
 * postgres.js pools one after another: after `renewAfter` reservations new ones go to a fresh pool, and the
 * old one ends once its last reservation is released (so no transaction loses its connection).
 *
 * end() likewise waits for the reservations still out, then ends the pools: postgres.js's end() never settles
 * for a connection that is reserved when it is called (its release() puts it back in the open queue, and
 * nothing terminates it). That was the auth flow tests' hang while a dispatcher sent: the test stack's stop()
 * closed the app pool while notifications-dispatch, whose caller had gone, was inside its claim transaction.
 */
export class RenewedPool {
  #current: Pool;
  #served = 0;
  readonly #outstanding = new Map<Pool, number>();
  readonly #retired = new Set<Pool>();
  readonly #ending: Promise<unknown>[] = [];
  /** Called when a pool's last outstanding reservation is released (end() waits for these). */
  readonly #released = new Map<Pool, () => void>();
  #closed = false;

  constructor(readonly open: () => Pool, readonly renewAfter: number) {
    this.#current = open();
  }

  get options(): Pool["options"] {
    return this.#current.options;
  }

  /** Pools opened so far (tests). */
  opened = 1;

  /** Connections reserved (transactions, Kysely queries) and single statements sent so far (tests). */
  readonly counts = { reservations: 0, statements: 0 };

  async reserve(): Promise<postgres.ReservedSql> {
    if (this.#closed) throw new Error("the database pool is closed");
    if (this.#served++ >= this.renewAfter) this.#renew();
    this.counts.reservations++;
    const pool = this.#current;
    this.#outstanding.set(pool, (this.#outstanding.get(pool) ?? 0) + 1);
    let connection: postgres.ReservedSql;
    try {
      connection = await pool.reserve();
    } catch (error) {
      this.#done(pool);
      throw error;
    }
    const release = connection.release;
    let released = false;
    connection.release = () => {
      if (released) return;
      released = true;
      release();
      this.#done(pool);
    };
    return connection;
  }

  /**
   * One statement on the pool, outside any transaction (postgres.js's tagged template: prepared per
   * connection when the pool prepares). No connection is reserved, so postgres.js may send it on a
   * connection that is still busy with others (pipelining: several statements in one write, answered in
   * order); each statement is its own transaction. It counts as a reservation towards the pool's renewal.
   */
  async statement<T extends readonly object[]>(
    strings: TemplateStringsArray,
    values: readonly postgres.ParameterOrFragment<never>[],
  ): Promise<T> {
    if (this.#closed) throw new Error("the database pool is closed");
    if (this.#served++ >= this.renewAfter) this.#renew();
    this.counts.statements++;
    const pool = this.#current;
    this.#outstanding.set(pool, (this.#outstanding.get(pool) ?? 0) + 1);
    try {
      return await pool<T>(strings, ...values);
    } finally {
      this.#done(pool);
    }
  }

  #renew() {
    this.#retired.add(this.#current);
    const old = this.#current;
    this.#current = this.open();
    this.opened++;
    this.#served = 1;
    if (!this.#outstanding.get(old)) this.#end(old);
  }

  #done(pool: Pool) {
    const left = (this.#outstanding.get(pool) ?? 1) - 1;
    if (left > 0) return this.#outstanding.set(pool, left);
    this.#outstanding.delete(pool);
    this.#released.get(pool)?.();
    if (this.#retired.has(pool)) this.#end(pool);
  }

  #end(pool: Pool) {
    this.#retired.delete(pool);
    this.#ending.push(pool.end({ timeout: 5 }).catch(() => {}));
  }

  /** Ends every pool once its reservations are released (at most `graceMs` later: then they are cut). */
  async end(graceMs = 10_000): Promise<void> {
    this.#closed = true;
    const pools = [this.#current, ...this.#retired];
    this.#retired.clear();
    await Promise.all([
      ...pools.map(async (pool) => {
        if (this.#outstanding.get(pool)) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await new Promise<void>((resolve) => {
            this.#released.set(pool, resolve);
            timer = setTimeout(resolve, graceMs);
          });
          clearTimeout(timer);
          this.#released.delete(pool);
        }
        await pool.end({ timeout: 5 });
      }),
      ...this.#ending,
    ]);
  }
}

/**
 * Whether connections to `url` may use prepared statements: not behind Supavisor (pooler.supabase.com),
 * whose transaction mode hands each transaction a different server connection.
 */
export function preparesStatements(url: string): boolean {
  return !/pooler\.supabase\.com/.test(url);
}

/** Opens a pool; `prepare: false` keeps it usable behind Supavisor's transaction mode. */
export function openDatabase(
  url: string,
  options: { max?: number; reservationsPerPool?: number } = {},
): Database {
  const pool = new RenewedPool(
    () =>
      postgres(url, {
        max: options.max ?? 10,
        prepare: preparesStatements(url),
        onnotice: () => {},
        connection: { application_name: "pishkhan" },
      }),
    options.reservationsPerPool ?? RESERVATIONS_PER_POOL,
  );
  // kysely-postgres-js uses reserve(), end() and options of what it is given.
  const driver = Object.assign(() => {}, {
    reserve: () => pool.reserve(),
    end: () => pool.end(),
    get options() {
      return pool.options;
    },
  });
  const database = new Kysely<DB>({
    dialect: new PostgresJSDialect({ postgres: driver as unknown as Pool }),
  });
  pools.set(database, pool);
  return database;
}

/** Reservations and single statements `database` has served so far (tests). */
export function poolCounts(database: Database): { reservations: number; statements: number } {
  return { ...(pools.get(database)?.counts ?? { reservations: 0, statements: 0 }) };
}

/** How many postgres.js pools `database` has opened (tests). */
export function poolsOpened(database: Database): number {
  return pools.get(database)?.opened ?? 0;
}

/**
 * A Kysely handle on one reserved connection that lets queries run concurrently: they are pipelined (sent
 * together, answered in order) instead of waiting for each other, as Kysely's own transactions make them.
 */
function pipelinedHandle(connection: postgres.ReservedSql, prepare: boolean): Tx {
  // kysely-postgres-js asks for a prepared statement on every query; the pool's own choice (no prepared
  // statements behind Supavisor's transaction mode) decides instead.
  const shared = {
    unsafe: (
      query: string,
      parameters: postgres.ParameterOrJSON<never>[],
      options: postgres.UnsafeQueryOptions,
    ) => connection.unsafe(query, parameters, { ...options, prepare }),
    release() {},
  };
  const fake = Object.assign(() => {}, { reserve: () => Promise.resolve(shared), options: {} });
  // Transaction<DB> adds only a marker to Kysely<DB>; the handle runs inside the transaction asUser opened.
  return new Kysely<DB>({
    dialect: new PostgresJSDialect({ postgres: fake as unknown as Pool }),
  }) as unknown as Tx;
}

/** The pool `database` draws from (only databases opened with openDatabase have one). */
function poolOf(database: Database): RenewedPool {
  const pool = pools.get(database);
  if (!pool) throw new Error("not a database opened with openDatabase");
  return pool;
}

/** The first statement of a transaction: whose claims and role its statements run with. */
type Setup = (connection: postgres.ReservedSql) => postgres.PendingQuery<postgres.Row[]>;

/** A verified user's claims and role, set as Supabase's API sets them (RLS then applies). */
function userSetup(claims: Claims): Setup {
  const role = DATABASE_ROLES.has(claims.role) ? claims.role : "anon";
  return (connection) =>
    connection`select set_config('request.jwt.claims', ${claimsText(claims)}, true),
                      set_config('role', ${role}, true)`;
}

/** service_role's claims and role (bypasses RLS). */
const serviceSetup: Setup = (connection) =>
  connection`select set_config('request.jwt.claims', '{"role":"service_role"}', true),
                    set_config('role', 'service_role', true)`;

/**
 * Runs `body` on a reserved connection of `database`'s pool, rolling back if it throws; `prepare` is the
 * pool's choice for prepared statements.
 */
async function onReservedConnection<T>(
  database: Database,
  body: (connection: postgres.ReservedSql, prepare: boolean) => Promise<T>,
): Promise<T> {
  const pool = poolOf(database);
  const connection = await pool.reserve();
  try {
    return await body(connection, pool.options.prepare !== false);
  } catch (error) {
    await connection`rollback`.catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

/**
 * Runs `fn` in a transaction on one connection with `setup` (one statement) first, sending BEGIN, `setup`
 * and fn's first queries together: a read with one query (or with several started together) costs two
 * round trips, the claims and the query in the first, COMMIT in the second (Kysely's transaction() cost
 * one round trip each for BEGIN, the claims, every query and COMMIT).
 */
function inTransaction<T>(database: Database, setup: Setup, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return onReservedConnection(database, async (connection, prepare) => {
    const begun = Promise.all([connection`begin`, setup(connection)]);
    // The queries fn sends queue behind BEGIN and the claims on the same connection: if either failed, the
    // transaction refuses them all, and the failure is rethrown here before fn's result is used.
    const [result] = await Promise.all([fn(pipelinedHandle(connection, prepare)), begun]);
    await connection`commit`;
    return result;
  });
}

/**
 * Runs one statement on `database`'s pool, outside any transaction, without Kysely: a tagged template
 * (`statement()\`select … ${value}\``) whose values travel as parameters. For the hottest single-statement
 * calls (ledger.transfer_as, which sets the caller's claims itself); Kysely's query building and its
 * connection provider cost more app CPU than the rest of such a request's database work.
 */
export function statement(database = db()) {
  const pool = poolOf(database);
  return <T extends readonly object[]>(
    strings: TemplateStringsArray,
    ...values: postgres.ParameterOrFragment<never>[]
  ): Promise<T> => pool.statement<T>(strings, values);
}

let shared: Database | undefined;

/** The process-wide pool for the configured DATABASE_URL. */
export function db(): Database {
  return shared ??= openDatabase(config().databaseUrl, { max: config().DATABASE_POOL_SIZE });
}

/** Closes the process-wide pool (tests and shutdown). */
export async function closeDb(): Promise<void> {
  await shared?.destroy();
  shared = undefined;
}

/**
 * Runs `fn` in a transaction as the claims' role with `request.jwt.claims` set, exactly as Supabase's
 * API does, so RLS applies. The claims must come from a verified JWT.
 */
export async function asUser<T>(claims: Claims, fn: (tx: Tx) => Promise<T>, database = db()): Promise<T> {
  return await inTransaction(database, userSetup(claims), fn);
}

/** Runs `fn` as `service_role` (bypasses RLS). The reviewed exception: webhooks, cron, admin services. */
export async function asService<T>(fn: (tx: Tx) => Promise<T>, database = db()): Promise<T> {
  return await inTransaction(database, serviceSetup, fn);
}

/**
 * A transaction whose statements are all known before it starts, in ONE round trip: BEGIN, `setup`, the
 * statements and COMMIT are written together. A statement that fails aborts the transaction (the ones after
 * it are refused and the COMMIT rolls it back) and its error is thrown. Returns each statement's rows.
 * asUser/asService cost two round trips (the statements, then COMMIT); use these where nothing is decided
 * between the statements.
 */
function atOnce(
  database: Database,
  setup: Setup,
  statements: readonly CompiledQuery[],
): Promise<Record<string, unknown>[][]> {
  return onReservedConnection(database, async (connection, prepare) => {
    // postgres.js sends queries in the order they are first awaited, all in one write.
    const answers = await Promise.allSettled([
      connection`begin`,
      setup(connection),
      ...statements.map((q) =>
        connection.unsafe(q.sql, q.parameters as postgres.ParameterOrJSON<never>[], { prepare })
      ),
      connection`commit`,
    ]);
    const failed = answers.find((a) => a.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const commit = (answers.at(-1) as PromiseFulfilledResult<postgres.RowList<postgres.Row[]>>).value;
    if (commit.command !== "COMMIT") throw new Error(`the transaction ended in ${commit.command}`);
    return answers.slice(2, -1).map((a) => [
      ...(a as PromiseFulfilledResult<postgres.RowList<Record<string, unknown>[]>>).value,
    ]);
  });
}

/** asUser in one round trip, for statements all known up front (see atOnce). */
export function asUserAtOnce(
  claims: Claims,
  statements: readonly CompiledQuery[],
  database = db(),
): Promise<Record<string, unknown>[][]> {
  return atOnce(database, userSetup(claims), statements);
}

/** asService in one round trip, for statements all known up front (see atOnce). */
export function asServiceAtOnce(
  statements: readonly CompiledQuery[],
  database = db(),
): Promise<Record<string, unknown>[][]> {
  return atOnce(database, serviceSetup, statements);
}

/** True when the database answers (health checks). */
export async function ping(database = db()): Promise<boolean> {
  try {
    await sql`select 1`.execute(database);
    return true;
  } catch {
    return false;
  }
}
