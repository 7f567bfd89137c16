-- pgTAP: a payment the payer cancelled is `cancelled`, apart from `failed`; final like it, never credited.
begin;
select plan(8);

select tests.create_user('payer-42@test.local', id => '42000000-0000-4000-8000-000000000001');
select tests.act_as('42000000-0000-4000-8000-000000000001');
create temporary table opened as
  select payments.create_pending(50000, 'test top-up', '0123456789abcdef') as id
  union all select payments.create_pending(70000, 'test top-up', '0123456789abcdef');
select throws_ok($$select payments.close((select min(id) from opened), 'cancelled', 'cancelled', -51)$$, '42501',
  null, 'a user cannot cancel a payment by hand');
select tests.act_as_owner();

select throws_ok($$select payments.close((select min(id) from opened), 'cancelled', 'gateway_refused')$$, 'PY002',
  null, 'cancelled goes with the reason cancelled only');
select throws_ok($$select payments.close((select min(id) from opened), 'failed', 'cancelled')$$, 'PY002',
  null, 'a cancellation is not recorded as failed');
select is(payments.close((select min(id) from opened), 'cancelled', 'cancelled', -51), 'cancelled',
  'a pending payment is cancelled');
select isnt((select closed_at from public.payments where id = (select min(id) from opened)), null,
  'a cancelled payment has its closing time');
select throws_ok($$update public.payments set status = 'failed' where id = (select min(id) from opened)$$,
  'PY002', null, 'cancelled → failed is refused');
select is((select outcome from payments.settle((select min(id) from opened), 50000)), 'flagged',
  'money verified on a cancelled payment is flagged, not credited');
select is((select count(*)::int from ledger.transactions where idempotency_key = 'payment:' || (select min(id) from opened)),
  0, 'no ledger credit');

select * from finish();
rollback;
