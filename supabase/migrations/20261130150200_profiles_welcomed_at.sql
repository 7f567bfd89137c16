-- Purpose: a first-time welcome on the wallet, shown once per account: profiles.welcomed_at records when the
--          owner first saw it, and public.take_welcome() claims it atomically (true only the first time).
-- Access: the column is not in the owner's update grant; only take_welcome() (SECURITY DEFINER, for the caller's
--         own row) sets it. Existing accounts count as welcomed (they have used the app already).
-- Risk: low; a nullable column and one function.

alter table public.profiles add column welcomed_at timestamptz;
comment on column public.profiles.welcomed_at is 'When the owner first saw the wallet''s welcome (null: not yet).';
update public.profiles set welcomed_at = created_at where welcomed_at is null;

/** True exactly once per account: the first call marks the caller's welcome as seen. */
create function public.take_welcome() returns boolean
language plpgsql volatile security definer set search_path = '' as $$
declare
  taken integer;
begin
  update public.profiles p set welcomed_at = now()
  where p.id = (select auth.uid()) and p.welcomed_at is null;
  get diagnostics taken = row_count;
  return taken = 1;
end $$;
comment on function public.take_welcome() is
  'Marks the caller''s first-time welcome as seen; true only on the first call (the wallet shows it then).';
revoke execute on function public.take_welcome() from public, anon;
grant execute on function public.take_welcome() to authenticated;
