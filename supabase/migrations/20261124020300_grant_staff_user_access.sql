-- Purpose: staff user management: auditors' permissions, staff read access to profiles (`users.view`), the
--          user list and detail for the admin area, and role changes that are always audited.
-- Access: list/detail need `users.view`; role changes need `users.manage` and never apply to the caller's
--         own account (nobody raises their own role). Functions live in the unexposed `private` schema.
-- Risk: medium; these functions read auth.users (emails, ban state) on behalf of staff, so each one checks
--       public.authorize() first. A role change reaches the user's JWT at its next refresh.

insert into public.role_permissions (role, permission) values
  ('auditor', 'admin.access'), ('auditor', 'audit.view'), ('auditor', 'users.view');

-- Keyset pagination of the user list runs over profiles (created with the user, indexed here).
create index profiles_created_at_id_idx on public.profiles (created_at desc, id desc);

create policy "profiles: staff with users.view can select" on public.profiles
  for select to authenticated
  using ((select public.authorize('users.view')));

/** Staff user list, newest first; `search` matches email or name; continue after (after_created, after_id). */
create function private.list_users(
  search text default null,
  after_created timestamptz default null,
  after_id uuid default null,
  page_size integer default 25
) returns table (
  id uuid,
  email text,
  full_name text,
  role public.app_role,
  created_at timestamptz,
  last_sign_in_at timestamptz,
  email_confirmed_at timestamptz,
  banned_until timestamptz
)
language plpgsql stable security definer set search_path = '' as $$
declare
  pattern text := '%' || replace(replace(replace(coalesce(search, ''), '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
  if not public.authorize('users.view') then
    raise exception 'users.view is required' using errcode = 'insufficient_privilege';
  end if;
  return query
    select p.id, u.email::text, p.full_name, private.primary_role(p.id), p.created_at, u.last_sign_in_at,
           u.email_confirmed_at, u.banned_until
    from public.profiles p
    join auth.users u on u.id = p.id
    where (nullif(search, '') is null or u.email ilike pattern or p.full_name ilike pattern)
      and (after_created is null or (p.created_at, p.id) < (after_created, after_id))
    order by p.created_at desc, p.id desc
    limit least(greatest(page_size, 1), 100);
end $$;
comment on function private.list_users(text, timestamptz, uuid, integer) is
  'Users for staff with users.view: keyset over (profiles.created_at, id), newest first.';
revoke execute on function private.list_users(text, timestamptz, uuid, integer) from public, anon;
grant execute on function private.list_users(text, timestamptz, uuid, integer) to authenticated, service_role;

/** One user's account facts for staff with `users.view` (no row when the user does not exist). */
create function private.user_detail(target uuid)
returns table (
  id uuid,
  email text,
  full_name text,
  phone text,
  locale text,
  role public.app_role,
  providers text[],
  created_at timestamptz,
  last_sign_in_at timestamptz,
  email_confirmed_at timestamptz,
  banned_until timestamptz
)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not public.authorize('users.view') then
    raise exception 'users.view is required' using errcode = 'insufficient_privilege';
  end if;
  return query
    select u.id, u.email::text, coalesce(p.full_name, ''), p.phone, coalesce(p.locale, 'fa'),
           private.primary_role(u.id),
           coalesce(array(select jsonb_array_elements_text(u.raw_app_meta_data -> 'providers')), '{}'),
           u.created_at, u.last_sign_in_at, u.email_confirmed_at, u.banned_until
    from auth.users u
    left join public.profiles p on p.id = u.id
    where u.id = target;
end $$;
comment on function private.user_detail(uuid) is 'A user''s profile, role and account state for staff.';
revoke execute on function private.user_detail(uuid) from public, anon;
grant execute on function private.user_detail(uuid) to authenticated, service_role;

/**
 * Makes `new_role` the user's only role and writes a `users.role_change` audit entry in the same
 * transaction. Needs `users.manage`; refuses the caller's own account.
 */
create function private.set_user_role(target uuid, new_role public.app_role, context jsonb default '{}'::jsonb)
returns public.app_role
language plpgsql security definer set search_path = '' as $$
declare
  actor uuid := (select auth.uid());
  previous public.app_role;
begin
  if not public.authorize('users.manage') then
    raise exception 'users.manage is required' using errcode = 'insufficient_privilege';
  end if;
  if (select auth.role()) <> 'service_role' and (actor is null or actor = target) then
    raise exception 'nobody may change their own role' using errcode = 'insufficient_privilege';
  end if;
  if not exists (select 1 from auth.users where id = target) then
    raise exception 'no such user' using errcode = 'no_data_found';
  end if;
  previous := private.primary_role(target);
  delete from public.user_roles where user_id = target and role <> new_role;
  insert into public.user_roles (user_id, role) values (target, new_role) on conflict do nothing;
  perform private.record_audit('users.role_change', actor, (select auth.email()), 'user', target::text,
    jsonb_build_object('from', previous, 'to', new_role), context);
  return new_role;
end $$;
comment on function private.set_user_role(uuid, public.app_role, jsonb) is
  'Role change by staff with users.manage (never on their own account), audited in the same transaction.';
revoke execute on function private.set_user_role(uuid, public.app_role, jsonb) from public, anon;
grant execute on function private.set_user_role(uuid, public.app_role, jsonb) to authenticated, service_role;
