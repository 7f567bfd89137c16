/** The payments domain's refusals, most raised by its SQL functions with SQLSTATEs PYxxx. */
import { defineRefusals } from "../errors.ts";
// Payment functions post to the ledger, whose refusals (e.g. LW001 insufficient_funds) they pass on.
import "../wallet/errors.ts";

export const paymentErrors = defineRefusals("payments", {
  payment_not_found: { status: 404, sqlstate: "PY001", message: "No such payment." },
  invalid_transition: { status: 409, sqlstate: "PY002", message: "The payment cannot move to that status." },
  immutable: { status: 409, sqlstate: "PY003", message: "A settled payment cannot be changed." },
  not_refundable: {
    status: 409,
    sqlstate: "PY004",
    message: "Only a paid payment that was not refunded yet can be refunded.",
  },
  refund_in_progress: {
    status: 409,
    sqlstate: "PY005",
    message: "A refund of this payment is already in progress.",
  },
  not_permitted: { status: 403, sqlstate: "PY006", message: "You are not allowed to do this." },
  too_many_pending: { status: 429, sqlstate: "PY007", message: "Too many unfinished top-ups; try later." },
  invalid_amount: {
    status: 422,
    sqlstate: "PY008",
    message: "The amount must be a whole number of rials between 1 and 10^15.",
  },
  refund_not_pending: { status: 409, sqlstate: "PY009", message: "The refund has already been decided." },
  not_authenticated: { status: 401, sqlstate: "PY010", message: "Sign-in required" },
  refund_window_closed: { status: 409, sqlstate: "PY011", message: "The refund window has closed." },
  invalid_input: { status: 400, sqlstate: "PY012", message: "The input is not valid." },
  amount_out_of_range: { status: 400, message: "The amount is outside the top-up limits." },
}, "PY");
