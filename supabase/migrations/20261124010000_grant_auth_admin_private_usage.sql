-- Purpose: let Supabase Auth run the custom access token hook. GoTrue calls
--          public.custom_access_token_hook as supabase_auth_admin, and the hook calls
--          private.primary_role(); without usage on schema private every sign-in and refresh failed with
--          "permission denied for schema private" (a 500 from the token endpoint).
-- Access: supabase_auth_admin gets usage on schema private only; execute on private.primary_role was
--         already granted. No table or function becomes reachable by anon or authenticated.
-- Risk: low; a grant to the Auth server's own role.

grant usage on schema private to supabase_auth_admin;
