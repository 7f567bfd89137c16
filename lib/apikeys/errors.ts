/** The API keys domain's refusals, raised by its SQL functions with SQLSTATEs AKxxx (and at the API's edge). */
import { defineRefusals } from "../errors.ts";

export const apiKeyErrors = defineRefusals("apikeys", {
  api_key_required: {
    status: 401,
    message: "This endpoint needs an API key: send Authorization: Bearer pk_live_….",
  },
  api_key_invalid: { status: 401, sqlstate: "AK001", message: "The API key is unknown or revoked." },
  api_key_scope: { status: 403, sqlstate: "AK002", message: "The API key does not allow this operation." },
  api_key_not_found: { status: 404, sqlstate: "AK003", message: "No such API key." },
  api_key_revoked: { status: 409, sqlstate: "AK004", message: "This API key is already revoked." },
  invalid_api_key_input: {
    status: 400,
    sqlstate: "AK005",
    message: "Give the key a name of 1 to 80 characters and known scopes.",
  },
  api_key_account: {
    status: 422,
    sqlstate: "AK006",
    message: "A key may credit only revenue or a merchant account.",
  },
  not_permitted: { status: 403, sqlstate: "AK007", message: "You are not allowed to do this." },
}, "AK");
