-- Purpose: the mobile number is an identity verified by Auth (issue 12), not a free-text profile field.
--          auth.users.phone with phone_confirmed_at (unique; set only through Auth's SMS code: sign-up,
--          sign-in by code, phone change) is the one verified number. profiles.phone becomes its read-only
--          mirror in E.164 (+98912…, or another country's +…), kept by triggers, so staff pages and
--          notifications read the verified number where they read it before:
--          - a write to profiles.phone (by anyone) is replaced by the verified number of that user;
--          - a change of auth.users.phone / phone_confirmed_at updates the mirror;
--          - existing rows: free text nobody verified is cleared, verified numbers are copied.
--          Users lose the update grant on profiles.phone: the profile page changes the number through Auth.
-- Access: both trigger functions are SECURITY DEFINER (they read auth.users / write profiles) with no
--         grants. ledger.find_user already routes money only through verified auth.users.phone (LW026).
-- Risk: low. Unverified profile phones disappear, which is the point: they were never a verified channel.

revoke update (phone) on table public.profiles from authenticated;

alter table public.profiles drop constraint profiles_phone_e164;
alter table public.profiles add constraint profiles_phone_e164 check (phone ~ '^\+[1-9][0-9]{7,14}$');
comment on column public.profiles.phone is
  'The user''s VERIFIED mobile number (E.164), mirrored from auth.users.phone when phone_confirmed_at is set; null otherwise. Read-only: triggers keep it.';

drop trigger profiles_normalize_phone on public.profiles;
drop function public.profiles_normalize_phone();

/** The verified number of a user as E.164, or null. */
create function private.verified_phone(user_id uuid) returns text
language sql stable security definer set search_path = '' as $$
  select '+' || u.phone from auth.users u
  where u.id = verified_phone.user_id and u.phone_confirmed_at is not null and coalesce(u.phone, '') <> ''
$$;
comment on function private.verified_phone(uuid) is
  'auth.users.phone as E.164 when Auth has confirmed it (phone_confirmed_at), else null. Internal.';
revoke execute on function private.verified_phone(uuid) from public, anon, authenticated;

create function public.profiles_phone_from_auth() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.phone := private.verified_phone(new.id);
  return new;
end $$;
comment on function public.profiles_phone_from_auth() is
  'Whatever is written to profiles.phone, it holds the verified auth.users.phone (or null).';
revoke execute on function public.profiles_phone_from_auth() from public, anon, authenticated;

create trigger profiles_phone_from_auth before insert or update of phone on public.profiles
  for each row execute function public.profiles_phone_from_auth();

create function public.mirror_verified_phone() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.profiles p set phone = private.verified_phone(new.id)
  where p.id = new.id and p.phone is distinct from private.verified_phone(new.id);
  return null;
end $$;
comment on function public.mirror_verified_phone() is
  'After Auth changes a user''s phone or confirms it: profiles.phone follows.';
revoke execute on function public.mirror_verified_phone() from public, anon, authenticated;

create trigger mirror_verified_phone after update of phone, phone_confirmed_at on auth.users
  for each row execute function public.mirror_verified_phone();

-- Existing rows: keep only what Auth has verified (updated_at keeps its meaning).
alter table public.profiles disable trigger profiles_touch_updated_at;
update public.profiles p set phone = private.verified_phone(p.id)
where p.phone is distinct from private.verified_phone(p.id);
alter table public.profiles enable trigger profiles_touch_updated_at;
