/** Maps the SQLSTATEs raised by the payments and ledger SQL functions to typed domain errors (HTTP in one place). */
import { DomainError } from "../http/errors.tsx";

type Status = DomainError["status"];

/** A refused payments operation; `code` is also the i18n suffix of its message (payments.error.<code>). */
export class PaymentError extends DomainError {
  constructor(status: Status, code: PaymentErrorCode, message: string) {
    super(status, code, message);
  }
}

const BY_SQLSTATE = {
  PY001: [404, "payment_not_found"],
  PY002: [409, "invalid_transition"],
  PY003: [409, "immutable"],
  PY004: [409, "not_refundable"],
  PY005: [409, "refund_in_progress"],
  PY006: [403, "not_permitted"],
  PY007: [429, "too_many_pending"],
  PY008: [400, "invalid_amount"],
  PY009: [409, "refund_not_pending"],
  PY010: [401, "not_authenticated"],
  PY011: [409, "refund_window_closed"],
  PY012: [400, "invalid_input"],
  LW001: [409, "insufficient_funds"],
} as const satisfies Record<string, readonly [Status, string]>;

export type PaymentErrorCode = typeof BY_SQLSTATE[keyof typeof BY_SQLSTATE][1] | "amount_out_of_range";

/** The domain error for a database error raised by our SQL functions, or the error itself. */
export function mapPaymentError(error: unknown): unknown {
  const sqlstate = (error as { code?: unknown })?.code;
  if (typeof sqlstate !== "string" || !(sqlstate in BY_SQLSTATE)) return error;
  const [status, code] = BY_SQLSTATE[sqlstate as keyof typeof BY_SQLSTATE];
  const detail = (error as { detail?: string }).detail;
  return new PaymentError(status, code, detail || (error as Error).message);
}

/** Runs `fn`, rethrowing database refusals as PaymentError. */
export async function mappingErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapPaymentError(error);
  }
}
