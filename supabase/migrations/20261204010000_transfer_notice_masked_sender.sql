-- Purpose: the "money received" notification names the sender the way the wallet history does. It said
--          `coalesce(full name, email, '')`: a sender without a name had their whole email sent to the
--          recipient (in the app, by email, SMS and WhatsApp) while the history and the receipt show it
--          masked (`r***@example.com`), and a sender who signed up with a phone number and no name was
--          nobody: "45,000 tomans arrived from ." Now: the name, else the masked email, else the masked
--          verified phone, exactly as the history shows the other side of a transfer.
--          The masking moves into one function, private.masked_handle, which the history's
--          private.history_counterparties now calls too. It is a plain SQL expression (immutable, no SET
--          clause), so Postgres inlines it into the calling query: the wallet page's plan is the same
--          expression as before, and its answers are unchanged (tests/integration/page_round_trips_test.ts
--          compares them with the app's maskEmail/maskPhone).
-- Access: private.masked_handle is callable by the functions that use it (owner) and by nobody else.
--         The other two keep their grants (create or replace).
-- Risk: low (display text only; no money, no access rule). Tested: tests/integration/notifications_sql_test.ts
--       (a sender with a name, with only an email, with only a phone), supabase/tests/12_ledger_counterparties_test.sql.

/**
 * A user's contact handle as another user may see it: the email as `r***@example.com`, else the verified
 * phone as `0912•••4567` (an Iranian mobile) or `+447•••1234`, else `***`. The same rule as the app's
 * maskEmail / maskPhone (lib/wallet/recipient.ts, lib/users/phone.ts).
 */
create function private.masked_handle(email text, phone text) returns text
language sql immutable parallel safe as $$
  select case
    when coalesce(email, '') <> '' then
      case when split_part(email, '@', 2) <> ''
           then left(split_part(email, '@', 1), 1) || '***@' || split_part(email, '@', 2)
           else '***' end
    when coalesce(phone, '') <> '' then
      case when regexp_replace(phone, '^\+', '') ~ '^989[0-9]{9}$'
             then '0' || substr(regexp_replace(phone, '^\+', ''), 3, 3) || '•••'
                  || substr(regexp_replace(phone, '^\+', ''), 9)
           when regexp_replace(phone, '^\+', '') ~ '^[1-9][0-9]{7,14}$'
             then '+' || left(regexp_replace(phone, '^\+', ''), 3) || '•••'
                  || right(regexp_replace(phone, '^\+', ''), 4)
           else '***' end
    else '***'
  end
$$;
comment on function private.masked_handle(text, text) is
  'An email (r***@example.com) or verified phone (0912•••4567) masked as the app shows another user''s handle; *** when there is neither.';
revoke execute on function private.masked_handle(text, text) from public, anon, authenticated, service_role;

create or replace function private.history_counterparties(ids bigint[])
returns table (transaction_id bigint, user_id uuid, full_name text, masked text)
language plpgsql stable security definer set search_path = '' as $$
begin
  return query
  select c.transaction_id, c.user_id, c.full_name, private.masked_handle(c.email, c.phone)
  from ledger.transaction_counterparties((select auth.uid()), history_counterparties.ids) c;
end $$;

create or replace function notifications.expand_ledger_events(max_rows integer default 5000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  made integer := 0;
  leg record;
begin
  for leg in
    with taken as (
      delete from notifications.ledger_events e
      where e.ctid in (select x.ctid from notifications.ledger_events x limit max_rows for update skip locked)
      returning e.transaction_id, e.account_id, e.amount)
    select t.transaction_id, t.amount, a.user_id,
           -- As the history names the other side: the name, else the masked email or verified phone.
           (select coalesce(nullif(p.full_name, ''),
                            private.masked_handle(u.email, case when u.phone_confirmed_at is not null then u.phone end))
            from ledger.entries s join ledger.accounts sa on sa.id = s.account_id
            left join public.profiles p on p.id = sa.user_id left join auth.users u on u.id = sa.user_id
            where s.transaction_id = t.transaction_id and s.amount < 0 and sa.kind = 'wallet' limit 1) as sender
    from taken t
    join ledger.transactions tx on tx.id = t.transaction_id and tx.kind = 'transfer'
    join ledger.accounts a on a.id = t.account_id and a.kind = 'wallet' and a.user_id is not null
  loop
    perform notifications.emit('transfer.received', leg.user_id, jsonb_build_object(
      'amount', leg.amount::text, 'sender', coalesce(leg.sender, '***'), 'transaction_id', leg.transaction_id::text),
      'transfer:' || leg.transaction_id);
    made := made + 1;
  end loop;
  return made;
end $$;
