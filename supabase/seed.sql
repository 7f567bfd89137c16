-- Demo data for local runs (never applied to production). Accounts are created by the local stack
-- through the Auth emulator's admin API so passwords are hashed the way GoTrue hashes them.
select 1;
