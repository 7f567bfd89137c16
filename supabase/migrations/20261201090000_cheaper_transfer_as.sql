-- Purpose: ledger.transfer_as costs Postgres less. Profiled (pg_stat_statements, track = all), the live-session
--          check was a third of the statement's own time: private.claims_session_is_live and
--          public.session_is_live are SQL functions that cannot be inlined (security definer), and PostgreSQL
--          plans such a function's body again on every call, twice per transfer here, for a primary-key lookup
--          that itself takes microseconds. As PL/pgSQL they keep their plans for the connection. transfer_as
--          also parsed the claims text as jsonb twice; it now parses it once.
-- Access: unchanged (session_is_live for service_role; claims_session_is_live for authenticated, i.e. the owner's
--          functions; transfer_as for service_role).
-- Risk: low; the same checks in the same order with the same answers (tests/integration/transfer_as_cost_test.ts,
--          supabase/tests/31_live_session_test.sql, tests/integration/api_transfer_path_test.ts).

create or replace function public.session_is_live(p_session_id uuid, p_user_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (
    select 1
    from auth.sessions s
    join auth.users u on u.id = s.user_id
    where s.id = p_session_id
      and s.user_id = p_user_id
      and (s.not_after is null or s.not_after > now())
      and (u.banned_until is null or u.banned_until <= now())
  );
end $$;

create or replace function private.claims_session_is_live() returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return public.session_is_live(nullif(auth.jwt() ->> 'session_id', '')::uuid, auth.uid());
end $$;

-- Dropped and made again rather than replaced: validating a replacement applies its SET role first, and the
-- `authenticated` role may not execute the function being replaced.
drop function ledger.transfer_as(text, text, bigint, text, text);
create function ledger.transfer_as(
  claims text, recipient text, amount bigint, idempotency_key text, note text default null
) returns table (transaction_id bigint, created_at timestamptz, created boolean)
language plpgsql security invoker
set search_path = '' set role = 'authenticated' set "request.jwt.claims" = '' as $$
declare
  parsed jsonb := claims::jsonb;
begin
  if coalesce(parsed ->> 'role', '') <> 'authenticated' then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  perform set_config('request.jwt.claims', claims, true);
  -- Tokens that name their Auth session are checked here; the app asks Auth about the others before calling.
  if parsed ? 'session_id' and not private.claims_session_is_live() then
    raise exception 'session_ended' using errcode = 'LW027', detail = 'The session has ended; sign in again.';
  end if;
  return query select * from ledger.posting_receipt(ledger.transfer(recipient, amount, idempotency_key, note));
end $$;
comment on function ledger.transfer_as(text, text, bigint, text, text) is
  'For the app server: ledger.transfer as the user whose verified JWT claims are given (their Auth session still live), with its receipt, in one statement.';
revoke execute on function ledger.transfer_as(text, text, bigint, text, text) from public, anon, authenticated;
grant execute on function ledger.transfer_as(text, text, bigint, text, text) to service_role;
