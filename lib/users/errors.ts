/** Refusals of staff actions on user accounts. */
import { defineRefusals } from "../errors.ts";

export const userErrors = defineRefusals("users", {
  self_management: { status: 403, message: "You cannot change your own role or ban yourself" },
  user_not_found: { status: 404, message: "No such user" },
  invalid_phone: {
    status: 422,
    sqlstate: "US001",
    message: "Enter an Iranian mobile number, such as 0912 345 6789.",
  },
}, "US");
