-- Purpose: the wallet page's counterparties read without planning on every page view (issue 13: signed-in
--          pages ≥ 0.8× their API call). private.history_counterparties and ledger.transaction_counterparties
--          were SECURITY DEFINER SQL functions: Postgres never inlines those, and a SQL function that is not
--          inlined parses and plans its body again in every statement that calls it — a six-table join for
--          each /wallet. As plpgsql (the same query, grants, comments and answers) the plans are cached per
--          connection, as ledger.transfer_as's session check was (20261201090000).
-- Access: unchanged (create or replace keeps the grants: authenticated for history_counterparties,
--         service_role for transaction_counterparties).
-- Risk: low (reads only). Tested by supabase/tests/12_ledger_counterparties_test.sql and
--       tests/integration/page_round_trips_test.ts (unchanged; the masking is compared with the app's there),
--       which pass on both versions.

create or replace function ledger.transaction_counterparties(owner uuid, ids bigint[])
returns table (transaction_id bigint, user_id uuid, full_name text, email text, phone text)
language plpgsql stable security definer set search_path = '' as $$
begin
  return query
  select t.id, a.user_id, coalesce(p.full_name, ''), u.email::text,
         case when u.phone_confirmed_at is not null then u.phone::text end
  from ledger.transactions t
  join ledger.entries mine on mine.transaction_id = t.id
  join ledger.accounts me on me.id = mine.account_id and me.user_id = transaction_counterparties.owner
  join ledger.entries theirs on theirs.transaction_id = t.id and theirs.account_id <> mine.account_id
  join ledger.accounts a on a.id = theirs.account_id and a.kind = 'wallet'
  left join auth.users u on u.id = a.user_id
  left join public.profiles p on p.id = a.user_id
  where t.id = any(transaction_counterparties.ids) and t.kind = 'transfer';
end $$;

create or replace function private.history_counterparties(ids bigint[])
returns table (transaction_id bigint, user_id uuid, full_name text, masked text)
language plpgsql stable security definer set search_path = '' as $$
begin
  return query
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
  from ledger.transaction_counterparties((select auth.uid()), history_counterparties.ids) c;
end $$;
