-- pgTAP: payments.create_pending's budget (at most 10 pending payments per user in the last hour; migration
-- 20261203020000) reads the user's open payments only, not the user's whole history, and still counts
-- exactly what it did: pending payments of this user from the last hour, not closed ones, not older ones,
-- not another user's.
begin;
select plan(6);

select tests.create_user('budget-44@test.local', id => '44000000-0000-4000-8000-000000000001');
select tests.create_user('other-44@test.local', id => '44000000-0000-4000-8000-000000000002');

-- A long history: 600 closed (expired) payments of the payer; and a busy terminal: 60 other payers with 10
-- pending payments each in the last hour. Whichever index the old count chose (the payer's payments, or the
-- terminal's pending ones), it read 600 rows.
select tests.act_as_owner();
select count(tests.create_user('other-44-' || n || '@test.local',
  id => ('44000000-0000-4000-8001-' || lpad(n::text, 12, '0'))::uuid)) from generate_series(1, 60) n;
insert into public.payments (user_id, merchant_key, amount, description, expires_at)
select ('44000000-0000-4000-8001-' || lpad(u::text, 12, '0'))::uuid, '0123456789abcdef', 50000, 'busy ' || n,
  now() + interval '30 minutes'
from generate_series(1, 60) u, generate_series(1, 10) n;
insert into public.payments (user_id, merchant_key, amount, description, status, expires_at, closed_at,
  failure_reason, created_at)
select '44000000-0000-4000-8000-000000000001', '0123456789abcdef', 50000, 'old top-up ' || n, 'expired',
  now() - interval '1 minute', now(), 'expired', now() - make_interval(secs => n)
from generate_series(1, 600) n;
insert into public.payments (user_id, merchant_key, amount, description, expires_at)
select '44000000-0000-4000-8000-000000000002', '0123456789abcdef', 50000, 'other ' || n,
  now() + interval '30 minutes'
from generate_series(1, 12) n;
-- Two pending payments of the payer opened more than an hour ago (they no longer count).
insert into public.payments (user_id, merchant_key, amount, description, expires_at, created_at)
select '44000000-0000-4000-8000-000000000001', '0123456789abcdef', 50000, 'stale ' || n,
  now() + interval '1 minute', now() - interval '2 hours'
from generate_series(1, 2) n;
analyze public.payments;
create temporary table fetched (step text, n bigint);
grant all on fetched to authenticated;

select tests.act_as('44000000-0000-4000-8000-000000000001');
insert into fetched values ('before', pg_stat_get_xact_tuples_fetched('public.payments'::regclass)
  + pg_stat_get_xact_tuples_returned('public.payments'::regclass));
select isnt(payments.create_pending(50000, 'top-up 1', '0123456789abcdef'), null, 'a payer with a long history opens a payment');
insert into fetched values ('after', pg_stat_get_xact_tuples_fetched('public.payments'::regclass)
  + pg_stat_get_xact_tuples_returned('public.payments'::regclass));
select cmp_ok(
  (select max(n) filter (where step = 'after') - max(n) filter (where step = 'before') from fetched), '<', 20::bigint,
  'the budget check reads the payer''s open payments, not 600 others');

-- The rule itself: 8 more make 9 pending in the hour (the stale two and the other user's do not count)...
select is((select count(payments.create_pending(50000, 'top-up ' || n, '0123456789abcdef'))::int
  from generate_series(2, 10) n), 9, 'up to 10 pending payments in the hour');
select throws_ok($$select payments.create_pending(50000, 'top-up 11', '0123456789abcdef')$$, 'PY007', null,
  'the 11th is refused');

-- ... and closing one frees a place.
select tests.act_as_service();
select payments.close((select max(id) from public.payments where description = 'top-up 10'), 'failed',
  'gateway_refused');
select tests.act_as('44000000-0000-4000-8000-000000000001');
select isnt(payments.create_pending(50000, 'top-up 11', '0123456789abcdef'), null, 'a closed payment frees a place');
select throws_ok($$select payments.create_pending(50000, 'top-up 12', '0123456789abcdef')$$, 'PY007', null,
  'and the budget is full again');

select * from finish();
