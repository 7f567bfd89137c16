-- Purpose: one profile row per auth user (display name, phone, locale, notification preferences).
-- Access: a user reads and edits only their own profile; staff access arrives with roles and permissions.
-- Risk: low; new table, filled by a trigger on auth.users so no user exists without a profile.

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  full_name text not null default '' check (length(full_name) <= 120),
  phone text check (phone ~ '^\+?[0-9]{8,15}$'),
  locale text not null default 'fa' check (locale in ('fa', 'en')),
  notify_email boolean not null default true,
  notify_sms boolean not null default false,
  notify_whatsapp boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'Per-user profile and notification preferences; 1:1 with auth.users.';

revoke all on table public.profiles from anon, authenticated;
grant select on table public.profiles to authenticated;
grant update (full_name, phone, locale, notify_email, notify_sms, notify_whatsapp) on table public.profiles
  to authenticated;
grant all on table public.profiles to service_role;

create function public.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;
comment on function public.touch_updated_at() is 'Keeps updated_at current on every update.';

create trigger profiles_touch_updated_at before update on public.profiles
  for each row execute function public.touch_updated_at();

create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, full_name, locale)
  values (
    new.id,
    coalesce(new.raw_user_meta_data ->> 'full_name', ''),
    case when new.raw_user_meta_data ->> 'locale' = 'en' then 'en' else 'fa' end
  );
  return new;
end $$;
comment on function public.handle_new_user() is 'Creates the profile of every new auth user.';
revoke execute on function public.handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

alter table public.profiles enable row level security;

create policy "profiles: owner can select" on public.profiles
  for select to authenticated
  using (id = (select auth.uid()));

create policy "profiles: owner can update" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));
