-- Purpose: the permission to manage API keys (`api_keys.manage`). An enum value cannot be used in the
--          transaction that adds it, so the grant to admin and the table that checks it follow in
--          20261129140100_create_api_keys.sql.
-- Access: none by itself. Risk: low.
alter type public.app_permission add value if not exists 'api_keys.manage';
