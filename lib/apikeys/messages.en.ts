/**
 * English messages of API keys: the admin page and the keys' refusals. Keys must match messages.fa.ts (a test
 * checks parity); lib/i18n/en.ts collects them.
 */
export const en = {
  "admin.apiKeys.title": "API keys",
  "admin.apiKeys.lead":
    "Keys your own services use to charge wallets, with the request below. Each key credits one account, and its idempotency keys are its own.",
  "admin.apiKeys.new": "New key",
  "admin.apiKeys.name": "Name",
  "admin.apiKeys.nameHint": "Which service uses it, e.g. “SMS gateway”.",
  "admin.apiKeys.account": "Credited account",
  "admin.apiKeys.accountHint": "Charges move money from the user's wallet to this account.",
  "admin.apiKeys.scopes": "Scopes",
  "admin.apiKeys.scope.charges.create": "Charge wallets (charges.create)",
  "admin.apiKeys.scope.transfers.batch": "Batch transfers between wallets (transfers.batch)",
  "admin.apiKeys.create": "Create key",
  "admin.apiKeys.shownOnce":
    "Copy this key now: it is shown only once and cannot be recovered. Store it as a secret of the service.",
  "admin.apiKeys.column.key": "Key",
  "admin.apiKeys.column.scopes": "Scopes",
  "admin.apiKeys.column.created": "Created",
  "admin.apiKeys.column.lastUsed": "Last used",
  "admin.apiKeys.column.status": "Status",
  "admin.apiKeys.never": "Never",
  "admin.apiKeys.noScopes": "None",
  "admin.apiKeys.active": "Active",
  "admin.apiKeys.revoked": "Revoked {date}",
  "admin.apiKeys.rotate": "Rotate",
  "admin.apiKeys.revoke": "Revoke",
  "admin.apiKeys.empty": "No API keys yet.",
  "admin.apiKeys.notice.revoked": "Key {prefix}… was revoked.",
  "admin.apiKeys.notice.created": "Key {prefix}… was created.",
  "admin.apiKeys.notice.rotated": "Key {prefix}… replaces the old key, which is now revoked.",
  "admin.home.apiKeys": "Create, rotate and revoke the keys services use to charge wallets.",
  "api.error.api_key_required": "This endpoint needs an API key: send Authorization: Bearer pk_live_….",
  "api.error.api_key_invalid": "The API key is unknown or revoked.",
  "api.error.api_key_scope": "The API key does not allow this operation.",
  "api.error.api_key_not_found": "No such API key.",
  "api.error.api_key_revoked": "This API key is already revoked.",
  "api.error.invalid_api_key_input": "Give the key a name of 1 to 80 characters and known scopes.",
  "api.error.api_key_account": "A key may credit only revenue or a merchant account.",
} as const;
