-- Purpose: the permission to see a customer's wallet summary, recent payments and recent withdrawals while
--          helping them (`wallet.view_summary`), for agents. The existing `wallet.view` reads every ledger
--          table directly and unaudited (finance); this one opens a single audited, read-only function. An
--          enum value cannot be used in the transaction that adds it, so the grants and the function follow
--          in 20261130150100_create_staff_wallet_summary.sql.
-- Access: none by itself. Risk: low.
alter type public.app_permission add value if not exists 'wallet.view_summary';
