-- Purpose: a payment the payer cancelled at the gateway becomes a status of its own, `cancelled`, apart from
--          `failed` (issue 10: failed vs cancelled are distinct statuses with distinct filters). Postgres cannot
--          use an enum value in the transaction that added it, so the state machine change is the next file.
-- Access: unchanged. Risk: low; adds a value, nothing uses it yet.

alter type public.payment_status add value if not exists 'cancelled' after 'failed';
