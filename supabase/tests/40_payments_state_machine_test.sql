-- pgTAP: the payments state machine, exactly-once settlement and refund guards, enforced for every role.
begin;
select plan(17);

select tests.create_user('payer-40@test.local', id => '40000000-0000-4000-8000-000000000001');
select tests.create_user('other-40@test.local', id => '40000000-0000-4000-8000-000000000002');
select tests.create_user('finance-40@test.local', 'finance', id => '40000000-0000-4000-8000-000000000003');

-- The payer opens two payments as themselves.
select tests.act_as('40000000-0000-4000-8000-000000000001');
create temporary table opened as
  select payments.create_pending(50000, 'test top-up', '0123456789abcdef') as id
  union all select payments.create_pending(70000, 'test top-up', '0123456789abcdef');
select throws_ok($$select payments.settle((select min(id) from opened), 50000)$$, '42501', null,
  'a user cannot settle a payment');
select tests.act_as_owner();

select payments.attach_authority((select min(id) from opened), 'S0000000000000000000000000000000040a');
select throws_ok($$select payments.attach_authority((select min(id) from opened), 'S0000000000000000000000000000000040b')$$,
  'PY002', null, 'an authority is attached once');

select is((select outcome from payments.settle((select min(id) from opened), 49999)), 'flagged',
  'a verified amount that differs from the requested one is flagged');
select results_eq($$select status::text, needs_review from public.payments where id = (select min(id) from opened)$$,
  $$values ('pending', true)$$, 'a mismatched payment stays pending, flagged for finance, uncredited');

select is((select outcome from payments.settle((select min(id) from opened), 50000, 123456, '502229******5995')),
  'settled', 'the right amount settles');
select is((select outcome from payments.settle((select min(id) from opened), 50000)), 'already_settled',
  'settling again is a no-op');
select is((select count(*)::int from ledger.transactions where idempotency_key = 'payment:' || (select min(id) from opened)),
  1, 'exactly one ledger credit');
select is((select balance from ledger.wallet_balances where user_id = '40000000-0000-4000-8000-000000000001'),
  50000::bigint, 'the wallet holds the amount');

-- The trigger holds even for the table owner.
select throws_ok($$update public.payments set status = 'pending' where id = (select min(id) from opened)$$,
  'PY002', null, 'verified → pending is refused');
select throws_ok($$update public.payments set amount = 1 where id = (select min(id) from opened)$$,
  'PY003', null, 'the amount never changes');
select throws_ok($$delete from public.payments where id = (select min(id) from opened)$$,
  'PY003', null, 'payments are never deleted');
select is(payments.close((select min(id) from opened), 'failed', 'gateway_refused'), 'verified',
  'closing a settled payment leaves it verified');

select is(payments.close((select max(id) from opened), 'failed', 'gateway_refused', -9), 'failed', 'a pending payment fails');
select throws_ok($$update public.payments set status = 'verified' where id = (select max(id) from opened)$$,
  'PY002', null, 'failed → verified is refused');
select is((select outcome from payments.settle((select max(id) from opened), 70000)), 'flagged',
  'money verified on a failed payment is flagged, not credited');

-- Refunds: staff only, and only within the gateway's reverse window.
select tests.act_as('40000000-0000-4000-8000-000000000002');
select throws_ok($$select payments.begin_refund((select min(id) from opened), 'customer asked')$$, 'PY006', null,
  'a user cannot refund');
select tests.act_as('40000000-0000-4000-8000-000000000003');
select throws_ok($$select payments.begin_refund((select min(id) from opened), 'customer asked', 0)$$, 'PY011', null,
  'a refund after the reverse window is refused');

select * from finish();
rollback;
