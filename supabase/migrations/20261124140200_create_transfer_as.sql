-- Purpose: the API's transfer in one statement and one round trip. The app server has verified the
--          caller's access token; ledger.transfer_as takes its claims, becomes `authenticated` with them
--          (exactly what the app's per-request transaction does with set_config), transfers and returns the
--          receipt. Sending BEGIN, the claims, the transfer and COMMIT as four statements cost the database
--          about a third more CPU per transfer and held the wallet row locks across a round trip.
-- Access: the claims are trusted, so only the app's own login role (the owner) and service_role may call
--         it; never anon or authenticated (who could otherwise pose as anyone).
--         Inside, the role is `authenticated` and auth.uid() the claims' subject, so ledger.transfer checks
--         exactly what it checks for a signed-in user. Both settings are in the function's SET clause, so
--         the caller's role and claims are back when it returns, even inside a longer transaction.
-- Risk: medium; a caller with the owner's or service_role's rights can move any user's money, which they
--       already can through ledger.post_transfer.

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
  return query select * from ledger.posting_receipt(ledger.transfer(recipient, amount, idempotency_key, note));
end $$;
comment on function ledger.transfer_as(text, text, bigint, text, text) is
  'For the app server: ledger.transfer as the user whose verified JWT claims are given, with its receipt, in one statement.';
revoke execute on function ledger.transfer_as(text, text, bigint, text, text) from public, anon, authenticated;
grant execute on function ledger.transfer_as(text, text, bigint, text, text) to service_role;
