-- Purpose: role-based access: roles map to permissions; a custom access token hook puts `user_role` in the JWT;
--          public.authorize(permission) is what RLS policies and SQL functions check.
-- Access: users read their own roles; only service_role (admin API) and admins change roles; the hook runs
--         as supabase_auth_admin. New roles are rows in role_permissions, not code.
-- Risk: medium; every staff policy depends on authorize(). A user can never raise their own role.

create type public.app_role as enum ('user', 'agent', 'finance', 'admin');
create type public.app_permission as enum (
  'tickets.manage', 'users.view', 'users.manage', 'wallet.view', 'wallet.adjust', 'withdrawals.manage',
  'payments.view', 'payments.refund', 'broadcasts.send', 'reports.view', 'audit.view', 'settings.manage',
  'admin.access'
);

create table public.user_roles (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.app_role not null,
  created_at timestamptz not null default now(),
  unique (user_id, role)
);
comment on table public.user_roles is 'Which roles each user holds; the highest one goes into the JWT as user_role.';

create table public.role_permissions (
  id bigint generated always as identity primary key,
  role public.app_role not null,
  permission public.app_permission not null,
  unique (role, permission)
);
comment on table public.role_permissions is 'Which permissions each role grants; checked by public.authorize().';

create index user_roles_user_id_idx on public.user_roles (user_id);
create index role_permissions_role_idx on public.role_permissions (role);

insert into public.role_permissions (role, permission)
select 'admin', p from unnest(enum_range(null::public.app_permission)) as p;
insert into public.role_permissions (role, permission) values
  ('agent', 'admin.access'), ('agent', 'tickets.manage'), ('agent', 'users.view'),
  ('finance', 'admin.access'), ('finance', 'users.view'), ('finance', 'wallet.view'), ('finance', 'wallet.adjust'),
  ('finance', 'withdrawals.manage'), ('finance', 'payments.view'), ('finance', 'payments.refund'),
  ('finance', 'reports.view');

revoke all on table public.user_roles, public.role_permissions from anon, authenticated;
grant select on table public.user_roles, public.role_permissions to authenticated;
grant all on table public.user_roles, public.role_permissions to service_role;
grant select on table public.user_roles, public.role_permissions to supabase_auth_admin;

alter table public.user_roles enable row level security;
alter table public.role_permissions enable row level security;

-- Helpers live in a schema the API does not expose.
create schema if not exists private;
grant usage on schema private to authenticated, service_role;

/** The highest role a user holds (admin > finance > agent > user). */
create function private.primary_role(target uuid) returns public.app_role
language sql stable security definer set search_path = '' as $$
  select coalesce(max(role), 'user'::public.app_role) from public.user_roles where user_id = target
$$;
revoke execute on function private.primary_role(uuid) from public, anon;
grant execute on function private.primary_role(uuid) to authenticated, service_role, supabase_auth_admin;

create function public.authorize(requested_permission public.app_permission) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  claimed public.app_role;
begin
  -- service_role (server work) may do everything; users by the role claim the hook put in their token.
  if (select auth.role()) = 'service_role' then return true; end if;
  claimed := nullif(auth.jwt() ->> 'user_role', '')::public.app_role;
  if claimed is null then return false; end if;
  return exists (
    select 1 from public.role_permissions
    where role = claimed and permission = requested_permission
  );
end $$;
comment on function public.authorize(public.app_permission) is 'True when the caller''s JWT role grants the permission.';
grant execute on function public.authorize(public.app_permission) to authenticated, service_role;

create policy "user_roles: owner can select" on public.user_roles
  for select to authenticated
  using (user_id = (select auth.uid()) or (select public.authorize('users.view')));

create policy "user_roles: auth admin can select" on public.user_roles
  for select to supabase_auth_admin
  using (true);

create policy "role_permissions: signed-in users can select" on public.role_permissions
  for select to authenticated
  using (true);

create policy "role_permissions: auth admin can select" on public.role_permissions
  for select to supabase_auth_admin
  using (true);

-- Custom access token hook (auth.hook.custom_access_token in supabase/config.toml).
create function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  claims jsonb := event -> 'claims';
begin
  claims := jsonb_set(claims, '{user_role}', to_jsonb(private.primary_role((event ->> 'user_id')::uuid)));
  return jsonb_set(event, '{claims}', claims);
end $$;
comment on function public.custom_access_token_hook(jsonb) is 'Adds user_role to every access token GoTrue issues.';
grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from authenticated, anon, public;

-- Every new user starts with the `user` role.
create function private.grant_default_role() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.user_roles (user_id, role) values (new.id, 'user') on conflict do nothing;
  return new;
end $$;
create trigger on_auth_user_created_grant_role after insert on auth.users
  for each row execute function private.grant_default_role();
