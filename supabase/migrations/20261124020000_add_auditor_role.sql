-- Purpose: an `auditor` role for people who read the audit log and look users up without changing anything.
-- Access: granted like any role (a row in public.user_roles); its permissions are rows added in the next
--         migration (a new enum value cannot be used in the transaction that adds it).
-- Risk: low. The value sorts before `admin`, so private.primary_role() still ranks admin highest.

alter type public.app_role add value if not exists 'auditor' before 'admin';
