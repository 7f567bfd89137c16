-- Purpose: the permission to manage the messaging fabric (`notifications.manage`: templates, the delivery log,
--          the dead-letter queue). An enum value cannot be used in the transaction that adds it, so the grant
--          to admin and the policies that check it follow in 20261130110100_create_notifications.sql.
--          (`broadcasts.send` has existed since 20261124000100 and is granted to admin there.)
-- Access: none by itself. Risk: low.
alter type public.app_permission add value if not exists 'notifications.manage';
