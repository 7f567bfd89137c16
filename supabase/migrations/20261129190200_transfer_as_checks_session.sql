-- Purpose: the API's transfer stays one statement and one round trip with the live-session check inside it.
--          Checking the session in its own query first halved the API's transfers per second (two round
--          trips instead of one); ledger.transfer_as now refuses a token whose Auth session has ended (or whose
--          user is banned) itself, before it moves anything.
-- Access: private.claims_session_is_live is for the owner's functions only; transfer_as as before (service_role).
-- Risk: low; one primary-key lookup on auth.sessions and auth.users per transfer.

/** True while the session named in the current claims exists, is within its time box and its user is not banned. */
create function private.claims_session_is_live() returns boolean
language sql stable security definer set search_path = '' as $$
  select public.session_is_live(nullif(auth.jwt() ->> 'session_id', '')::uuid, auth.uid())
$$;
revoke all on function private.claims_session_is_live() from public, anon, service_role;
grant execute on function private.claims_session_is_live() to authenticated;

-- Dropped and made again rather than replaced: validating a replacement applies its SET role first, and the
-- `authenticated` role may not execute the function being replaced.
drop function ledger.transfer_as(text, text, bigint, text, text);
create function ledger.transfer_as(
  claims text, recipient text, amount bigint, idempotency_key text, note text default null
) returns table (transaction_id bigint, created_at timestamptz, created boolean)
language plpgsql security invoker
set search_path = '' set role = 'authenticated' set "request.jwt.claims" = '' as $$
begin
  if coalesce(claims::jsonb ->> 'role', '') <> 'authenticated' then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  perform set_config('request.jwt.claims', claims, true);
  -- Tokens that name their Auth session are checked here; the app asks Auth about the others before calling.
  if claims::jsonb ? 'session_id' and not private.claims_session_is_live() then
    raise exception 'session_ended' using errcode = 'LW027', detail = 'The session has ended; sign in again.';
  end if;
  return query select * from ledger.posting_receipt(ledger.transfer(recipient, amount, idempotency_key, note));
end $$;
comment on function ledger.transfer_as(text, text, bigint, text, text) is
  'For the app server: ledger.transfer as the user whose verified JWT claims are given (their Auth session still live), with its receipt, in one statement.';
revoke execute on function ledger.transfer_as(text, text, bigint, text, text) from public, anon, authenticated;
grant execute on function ledger.transfer_as(text, text, bigint, text, text) to service_role;
