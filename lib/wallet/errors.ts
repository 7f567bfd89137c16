/** Typed wallet errors, and the one mapping from the ledger's SQLSTATEs (LWxxx, raised by its SQL functions) to them. */
import { DomainError } from "../http/errors.tsx";

type Status = DomainError["status"];

/** Any refused wallet operation; `code` is stable for API clients and i18n (wallet.error.<code>). */
export class WalletError extends DomainError {
  constructor(status: Status, code: string, message: string) {
    super(status, code, message);
  }
}

export class InsufficientFunds extends WalletError {
  constructor(message = "The wallet cannot cover this amount.") {
    super(422, "insufficient_funds", message);
  }
}

export class IdempotencyConflict extends WalletError {
  constructor(message = "This idempotency key was already used for a different request.") {
    super(409, "idempotency_conflict", message);
  }
}

export class RecipientNotFound extends WalletError {
  constructor(message = "No user has this email address or phone number.") {
    super(404, "recipient_not_found", message);
  }
}

export class InvalidIban extends WalletError {
  constructor(message = "A Sheba number is IR followed by 24 digits with a valid checksum.") {
    super(422, "invalid_iban", message);
  }
}

export class WithdrawalNotFound extends WalletError {
  constructor(message = "No such withdrawal.") {
    super(404, "withdrawal_not_found", message);
  }
}

export class WalletNotFound extends WalletError {
  constructor(message = "No such wallet.") {
    super(404, "wallet_not_found", message);
  }
}

export class InvalidCursor extends WalletError {
  constructor(message = "The page cursor is not valid.") {
    super(400, "invalid_cursor", message);
  }
}

type Make = (message?: string) => WalletError;
/** Refusals that need no class of their own (nothing tells them apart by type). */
const plain = (status: Status, code: string, fallback: string = code): Make => (message) =>
  new WalletError(status, code, message ?? fallback);
const notPermitted = plain(403, "not_permitted", "You are not allowed to do this.");

const BY_SQLSTATE: Record<string, Make> = {
  LW001: (m) => new InsufficientFunds(m),
  LW002: (m) => new IdempotencyConflict(m),
  LW003: (m) => new RecipientNotFound(m),
  LW004: plain(422, "invalid_amount", "The amount must be a whole number of rials between 1 and 10^15."),
  LW005: plain(422, "self_transfer"),
  LW006: (m) => new InvalidIban(m),
  LW007: (m) => new WithdrawalNotFound(m),
  LW008: plain(409, "withdrawal_not_pending", "The withdrawal has already been decided."),
  LW009: notPermitted,
  LW010: plain(401, "not_authenticated"),
  LW011: plain(409, "already_reversed"),
  LW012: plain(400, "invalid_idempotency_key"),
  LW013: plain(422, "reason_required"),
  LW014: plain(404, "transaction_not_found"),
  LW015: plain(404, "account_not_found"),
  LW016: plain(409, "not_reversible"),
  LW017: plain(400, "invalid_kind"),
  LW018: plain(400, "invalid_input"),
  // A role without EXECUTE on a ledger function (e.g. a user calling a service-only posting).
  "42501": () => notPermitted(),
};

/** The domain error for a database error raised by the ledger, or the error itself (a bug: 500). */
export function toWalletError(error: unknown): unknown {
  const sqlstate = (error as { code?: unknown })?.code;
  const make = typeof sqlstate === "string" ? BY_SQLSTATE[sqlstate] : undefined;
  if (!make) return error;
  const detail = (error as { detail?: string }).detail;
  return make(detail || undefined);
}

/** Runs `fn`, rethrowing the ledger's refusals as typed wallet errors. */
export async function mappingLedgerErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toWalletError(error);
  }
}
