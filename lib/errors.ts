/**
 * Domain refusals, in plain TypeScript (no HTTP, no JSX), so lib/, routes/ and the Edge Functions share them.
 *
 * Each domain declares its refusals once, as a table: code → HTTP status, English fallback text and, for
 * refusals raised in SQL, the SQLSTATE (each domain has its own prefix, e.g. `LW` for the ledger). A code
 * means one thing everywhere: declaring it twice with another status is a start-up error, so the same
 * refusal always gets the same status on pages, in the API and from the functions. `describeError` is the
 * one mapper that every output form (error page, API JSON, function JSON) starts from.
 */

export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** Values a refusal may carry to its message (`{field}`); never internal ids or SQL. */
export type SafeDetails = Readonly<Record<string, string | number>>;

export interface RefusalSpec {
  readonly status: RefusalStatus;
  /** English fallback; the localized text is the message key `api.error.<code>` where the catalogue has it. */
  readonly message: string;
  /** The SQLSTATE that the domain's SQL functions raise for this refusal. */
  readonly sqlstate?: string;
}

/** A refused operation: a stable `code` for clients and i18n, and the status it answers with. */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly domain: string,
    readonly code: string,
    readonly status: RefusalStatus,
    message: string,
    readonly details: SafeDetails = {},
  ) {
    super(message);
  }

  /** The database's DETAIL for a refusal raised in SQL: logged, never sent to a client. */
  internalDetail?: string;

  /** The catalogue key of this refusal's message. */
  get messageKey(): string {
    return `api.error.${this.code}`;
  }
}

interface Registered {
  readonly domain: string;
  readonly code: string;
  readonly spec: RefusalSpec;
}

const byCode = new Map<string, Registered>();
const bySqlstate = new Map<string, Registered>();
const prefixes = new Map<string, string>();

/** Every refusal declared so far (the OpenAPI document and tests read it). */
export function declaredRefusals(): readonly Registered[] {
  return [...byCode.values()];
}

function register(domain: string, sqlstatePrefix: string | undefined, code: string, spec: RefusalSpec) {
  const known = byCode.get(code);
  if (known && known.spec.status !== spec.status) {
    throw new Error(
      `refusal ${code}: ${domain} declares status ${spec.status}, ${known.domain} ${known.spec.status}`,
    );
  }
  const entry = { domain, code, spec };
  if (!known) byCode.set(code, entry);
  if (!spec.sqlstate) return;
  if (!sqlstatePrefix || !spec.sqlstate.startsWith(sqlstatePrefix)) {
    throw new Error(`refusal ${code}: SQLSTATE ${spec.sqlstate} is outside ${domain}'s prefix`);
  }
  if (bySqlstate.has(spec.sqlstate)) throw new Error(`SQLSTATE ${spec.sqlstate} is declared twice`);
  bySqlstate.set(spec.sqlstate, entry);
}

export interface RefusalTable<Code extends string> {
  readonly domain: string;
  readonly codes: readonly Code[];
  /** The DomainError for `code`; `message` overrides the fallback text (never internal ids or SQL). */
  refuse(code: Code, details?: SafeDetails, message?: string): DomainError;
  /** True for a refusal of this table (any code, or the one given). */
  is(error: unknown, code?: Code): error is DomainError & { code: Code };
  /** Runs `fn`, rethrowing refusals raised in SQL (this domain's and others') as DomainErrors. */
  mapping<T>(fn: () => Promise<T>): Promise<T>;
}

/** Declares a domain's refusals; `sqlstatePrefix` is the domain's own SQLSTATE class (two letters). */
export function defineRefusals<const T extends Record<string, RefusalSpec>>(
  domain: string,
  table: T,
  sqlstatePrefix?: string,
): RefusalTable<keyof T & string> {
  if (sqlstatePrefix) {
    const owner = prefixes.get(sqlstatePrefix);
    if (owner && owner !== domain) throw new Error(`SQLSTATE prefix ${sqlstatePrefix} belongs to ${owner}`);
    prefixes.set(sqlstatePrefix, domain);
  }
  for (const [code, spec] of Object.entries(table)) register(domain, sqlstatePrefix, code, spec);
  type Code = keyof T & string;
  const codes = Object.keys(table) as Code[];
  return {
    domain,
    codes,
    refuse: (code, details = {}, message) => {
      const { status, message: fallback } = table[code];
      return new DomainError(domain, code, status, message || fallback, details);
    },
    is: (error, code): error is DomainError & { code: Code } =>
      error instanceof DomainError && (code ? error.code === code : codes.includes(error.code as Code)),
    mapping: mappingDatabaseErrors,
  };
}

/** Refusals of the request itself, shared by every domain (input, sign-in, permissions, limits). */
export const requestErrors = defineRefusals("request", {
  bad_request: { status: 400, message: "The request is not valid." },
  invalid_input: { status: 400, message: "The input is not valid." },
  invalid_cursor: { status: 400, message: "The page cursor is not valid." },
  idempotency_key_required: { status: 400, message: "The Idempotency-Key header is required." },
  invalid_idempotency_key: { status: 400, message: "The Idempotency-Key header is not valid." },
  unauthorized: { status: 401, message: "Sign-in required" },
  session_ended: { status: 401, message: "The session has ended; sign in again" },
  not_authenticated: { status: 401, message: "Sign-in required" },
  forbidden: { status: 403, message: "You do not have permission to do this." },
  reauthentication_required: {
    status: 403,
    message:
      "Confirm it is you: POST /api/v1/auth/reauthenticate, then send its token as X-Reauthentication.",
  },
  not_permitted: { status: 403, message: "You are not allowed to do this." },
  not_found: { status: 404, message: "Not found" },
  json_required: { status: 415, message: "Send the body as JSON with Content-Type: application/json." },
  rate_limited: { status: 429, message: "Too many attempts; try again later." },
});

/** The refusal for a database error raised by one of our SQL functions, or the error itself (a bug: 500). */
export function fromDatabaseError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const sqlstate = (error as { code?: unknown })?.code;
  if (typeof sqlstate !== "string") return error;
  // A role without EXECUTE on a function (a user calling a service-only posting) is a refusal, not a bug.
  if (sqlstate === "42501") return requestErrors.refuse("not_permitted");
  const entry = bySqlstate.get(sqlstate);
  if (!entry) return error;
  // The SQL DETAIL is for the log only: it may name internal ids ("account 315 cannot cover …"). Clients get
  // the table's text (or its localized catalogue text), never the database's words.
  const refusal = new DomainError(entry.domain, entry.code, entry.spec.status, entry.spec.message);
  const detail = (error as { detail?: unknown }).detail;
  if (typeof detail === "string" && detail) refusal.internalDetail = detail;
  return refusal;
}

/** Runs `fn`, rethrowing refusals raised in SQL as DomainErrors. */
export async function mappingDatabaseErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fromDatabaseError(error);
  }
}

export interface ErrorAnswer {
  status: RefusalStatus | 500;
  code: string;
  message: string;
}

/** Looks a message key up in the caller's language, or says it has none. */
export type Translate = (key: string, details: SafeDetails) => string | undefined;

/**
 * What every output form says about an error: a refusal keeps its status and code with its localized
 * message; anything else is an internal error whose text reveals nothing.
 */
export function describeError(error: unknown, translate: Translate = () => undefined): ErrorAnswer {
  if (error instanceof DomainError) {
    const text = translate(error.messageKey, error.details) ?? error.message;
    // A validator's own words (`reason`) follow the localized text, so the client learns what to fix.
    const reason = error.details.reason;
    const message = reason !== undefined && !text.includes(String(reason)) ? `${text} (${reason})` : text;
    return { status: error.status, code: error.code, message };
  }
  return {
    status: 500,
    code: "internal",
    message: translate("api.error.internal", {}) ?? "Internal error",
  };
}

/** The JSON body of an error answer, the same for the API and the Edge Functions. */
export function errorBody(answer: ErrorAnswer): { error: { code: string; message: string } } {
  return { error: { code: answer.code, message: answer.message } };
}
