/** The notifications domain's refusals, raised by its SQL functions with SQLSTATEs NTxxx. */
import { defineRefusals } from "../errors.ts";

export const notificationErrors = defineRefusals("notifications", {
  notification_unknown_event: { status: 400, sqlstate: "NT001", message: "No such notification event." },
  notification_invalid_input: {
    status: 400,
    sqlstate: "NT002",
    message: "The message, address or number is not valid.",
  },
  notification_not_permitted: { status: 403, sqlstate: "NT003", message: "You are not allowed to do this." },
  broadcast_not_found: { status: 404, sqlstate: "NT004", message: "No such broadcast." },
  broadcast_invalid_transition: {
    status: 409,
    sqlstate: "NT005",
    message: "The broadcast cannot do that in its current state.",
  },
  notification_invalid_time_zone: { status: 400, sqlstate: "NT006", message: "Unknown time zone." },
  notification_invalid_segment: { status: 400, sqlstate: "NT007", message: "The audience is not valid." },
}, "NT");
