-- Purpose: the wallet page reads its history and the other side of each transfer in one statement, in the
--          user's own transaction (two round trips for the page instead of four: the service_role
--          transaction that ledger.transaction_counterparties needs cost a connection, BEGIN, the claims and
--          COMMIT of its own). This function answers for the caller's own wallet only (auth.uid()), and
--          returns the handle already masked the way the app shows it (lib/wallet/recipient.ts maskEmail,
--          lib/users/phone.ts maskPhone; tests/integration/page_round_trips_test.ts checks they agree), so
--          the caller learns nothing the page does not show.
-- Access: authenticated (the app's user transactions). The private schema is not exposed by the Data API.
-- Risk: low; read-only, no ledger function redefined.

create function private.history_counterparties(ids bigint[])
returns table (transaction_id bigint, user_id uuid, full_name text, masked text)
language sql stable security definer set search_path = '' as $$
  select c.transaction_id, c.user_id, c.full_name,
         case
           when coalesce(c.email, '') <> '' then
             case when split_part(c.email, '@', 2) <> ''
                  then left(split_part(c.email, '@', 1), 1) || '***@' || split_part(c.email, '@', 2)
                  else '***' end
           when coalesce(c.phone, '') <> '' then
             case when regexp_replace(c.phone, '^\+', '') ~ '^989[0-9]{9}$'
                    then '0' || substr(regexp_replace(c.phone, '^\+', ''), 3, 3) || '•••'
                         || substr(regexp_replace(c.phone, '^\+', ''), 9)
                  when regexp_replace(c.phone, '^\+', '') ~ '^[1-9][0-9]{7,14}$'
                    then '+' || left(regexp_replace(c.phone, '^\+', ''), 3) || '•••'
                         || right(regexp_replace(c.phone, '^\+', ''), 4)
                  else '***' end
           else '***'
         end
  from ledger.transaction_counterparties((select auth.uid()), history_counterparties.ids) c
$$;
comment on function private.history_counterparties(bigint[]) is
  'For the wallet page (authenticated): the other wallet''s user of each of the caller''s transfers among `ids`, with the name and the email or verified phone masked as the app shows them.';
revoke execute on function private.history_counterparties(bigint[]) from public, anon;
grant execute on function private.history_counterparties(bigint[]) to authenticated;
