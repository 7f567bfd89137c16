-- Test-only helpers for the pgTAP files: making users and acting as them the way Supabase's API does
-- (a database role plus request.jwt.claims). tests/run.ts loads this file into the throwaway test
-- database before pg_prove; it is not a migration because test code must never reach production.
-- pg_prove runs only the *.sql files directly in supabase/tests, so this folder is never run as a test.
-- pgTAP itself, once for every file (pg_prove runs them with search_path public, extensions: see tests/run.ts).
create extension if not exists pgtap with schema extensions;
create schema if not exists tests;
comment on schema tests is 'pgTAP helpers (test databases only): test users, acting as them, and query plans.';

/**
 * A confirmed email user, as Auth would create it; the auth.users triggers add the profile (full name from
 * the metadata: the email's local part unless given), the `user` role and the wallet. `role` adds a staff
 * role. `id` lets a file use fixed, readable ids.
 */
create or replace function tests.create_user(
  email text,
  role text default 'user',
  id uuid default gen_random_uuid(),
  full_name text default null
) returns uuid
language plpgsql as $$
begin
  insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
                          created_at, updated_at)
  values (create_user.id, 'authenticated', 'authenticated', lower(create_user.email), now(),
          '{"provider":"email","providers":["email"]}',
          jsonb_build_object('full_name', coalesce(create_user.full_name, split_part(create_user.email, '@', 1))),
          now(), now());
  if create_user.role <> 'user' then
    insert into public.user_roles (user_id, role) values (create_user.id, create_user.role::public.app_role);
  end if;
  return create_user.id;
end $$;

/**
 * From here on the transaction runs as this signed-in user: role `authenticated` and the claims a verified
 * access token would carry. `user_role` overrides the role claim (to test a forged or stale token).
 * Switching works from any role: SET ROLE is checked against the session user (the superuser).
 */
create or replace function tests.act_as(user_id uuid, user_role text default null) returns void
language plpgsql as $$
begin
  perform set_config('role', 'none', true); -- back to the session user, to read auth.users
  perform set_config('request.jwt.claims', jsonb_build_object(
    'sub', u.id, 'role', 'authenticated', 'aud', 'authenticated', 'email', u.email,
    'user_role', coalesce(act_as.user_role, private.primary_role(u.id)::text))::text, true)
  from auth.users u where u.id = act_as.user_id;
  if not found then
    raise exception 'tests.act_as: no user %', user_id;
  end if;
  perform set_config('role', 'authenticated', true);
end $$;

/** From here on the transaction runs as a visitor who is not signed in (role anon). */
create or replace function tests.act_as_anon() returns void
language plpgsql as $$
begin
  perform set_config('request.jwt.claims', '{"role":"anon"}', true);
  perform set_config('role', 'anon', true);
end $$;

/** From here on the transaction runs as the server (service_role: the API role that bypasses RLS). */
create or replace function tests.act_as_service() returns void
language plpgsql as $$
begin
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
  perform set_config('role', 'service_role', true);
end $$;

/** Back to the session user (the table owner) with no claims: for setup and checks behind RLS. */
create or replace function tests.act_as_owner() returns void
language plpgsql as $$
begin
  perform set_config('request.jwt.claims', '', true);
  perform set_config('role', 'none', true);
end $$;

-- The API roles call these to switch identity mid-test, so they need to reach them.
grant usage on schema tests to anon, authenticated, service_role;
grant execute on all functions in schema tests to anon, authenticated, service_role;
