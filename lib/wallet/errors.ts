/** The wallet's refusals, most raised by the ledger's SQL functions with SQLSTATEs LWxxx. */
import { defineRefusals } from "../errors.ts";

export const walletErrors = defineRefusals("wallet", {
  insufficient_funds: { status: 422, sqlstate: "LW001", message: "The wallet cannot cover this amount." },
  idempotency_conflict: {
    status: 409,
    sqlstate: "LW002",
    message: "This idempotency key was already used for a different request.",
  },
  recipient_not_found: {
    status: 404,
    sqlstate: "LW003",
    message: "No user has this email address or phone number.",
  },
  invalid_amount: {
    status: 422,
    sqlstate: "LW004",
    message: "The amount must be a whole number of rials between 1 and 10^15.",
  },
  self_transfer: { status: 422, sqlstate: "LW005", message: "You cannot transfer money to yourself." },
  invalid_iban: {
    status: 422,
    sqlstate: "LW006",
    message: "A Sheba number is IR followed by 24 digits with a valid checksum.",
  },
  withdrawal_not_found: { status: 404, sqlstate: "LW007", message: "No such withdrawal." },
  withdrawal_not_pending: {
    status: 409,
    sqlstate: "LW008",
    message: "The withdrawal has already been decided.",
  },
  not_permitted: { status: 403, sqlstate: "LW009", message: "You are not allowed to do this." },
  not_authenticated: { status: 401, sqlstate: "LW010", message: "Sign-in required" },
  already_reversed: {
    status: 409,
    sqlstate: "LW011",
    message: "This transaction has already been reversed.",
  },
  invalid_idempotency_key: {
    status: 400,
    sqlstate: "LW012",
    message: "The idempotency key is not valid.",
  },
  reason_required: { status: 422, sqlstate: "LW013", message: "Give a reason of at least 3 characters." },
  transaction_not_found: { status: 404, sqlstate: "LW014", message: "No such transaction." },
  account_not_found: { status: 404, sqlstate: "LW015", message: "No such user or account." },
  not_reversible: { status: 409, sqlstate: "LW016", message: "This transaction cannot be reversed." },
  invalid_kind: { status: 400, sqlstate: "LW017", message: "The transaction kind is not valid." },
  invalid_input: { status: 400, sqlstate: "LW018", message: "The input is not valid." },
  self_adjustment: { status: 403, sqlstate: "LW019", message: "Nobody may adjust their own wallet." },
  second_approval_required: {
    status: 409,
    sqlstate: "LW020",
    message: "This amount needs a second staff member: request the adjustment instead.",
  },
  self_approval: { status: 403, sqlstate: "LW021", message: "Nobody may approve money for themselves." },
  same_approver: {
    status: 403,
    sqlstate: "LW022",
    message: "The second approval must come from another staff member.",
  },
  daily_cap_exceeded: {
    status: 422,
    sqlstate: "LW023",
    message: "This goes over your daily adjustment cap.",
  },
  approval_request_not_found: { status: 404, sqlstate: "LW024", message: "No such adjustment request." },
  approval_request_not_pending: {
    status: 409,
    sqlstate: "LW025",
    message: "This adjustment request has already been decided.",
  },
  recipient_phone_unverified: {
    status: 422,
    sqlstate: "LW026",
    message:
      "Money reaches a phone number only when its owner has verified it. Use the recipient's email address.",
  },
  session_ended: { status: 401, sqlstate: "LW027", message: "The session has ended; sign in again." },
  batch_invalid: {
    status: 400,
    sqlstate: "LW028",
    message: "A batch is a JSON array of 1 to 1000 transfers.",
  },
  batch_retry: {
    status: 409,
    sqlstate: "LW029",
    message: "Another request posted one of these idempotency keys at the same moment; send the batch again.",
  },
  wallet_not_found: { status: 404, message: "No such wallet." },
  // The configured minimums (WALLET_MIN_WITHDRAWAL_RIAL, WALLET_MIN_TRANSFER_RIAL), checked before anything changes.
  below_minimum_withdrawal: {
    status: 422,
    message: "The amount is below the smallest withdrawal.",
  },
  below_minimum_transfer: {
    status: 422,
    message: "The amount is below the smallest transfer.",
  },
}, "LW");
