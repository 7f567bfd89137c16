-- pgTAP: ledger.transaction_counterparties (history rows and receipts name the other side of a transfer).
begin;
select plan(7);

select ok(not has_function_privilege('authenticated', 'ledger.transaction_counterparties(uuid, bigint[])', 'execute'),
  'users cannot call it (it reads auth.users)');
select ok(not has_function_privilege('anon', 'ledger.transaction_counterparties(uuid, bigint[])', 'execute'),
  'anon cannot call it');
select ok(has_function_privilege('service_role', 'ledger.transaction_counterparties(uuid, bigint[])', 'execute'),
  'service_role can call it');

select tests.create_user('tap-cp-a@ledger.test', id => '12000000-0000-4000-8000-000000000001', full_name => 'Aram');
select tests.create_user('tap-cp-b@ledger.test', id => '12000000-0000-4000-8000-000000000002', full_name => 'Bita');
select tests.create_user('tap-cp-c@ledger.test', id => '12000000-0000-4000-8000-000000000003');
create temp table posted on commit drop as
select ledger.post_credit('12000000-0000-4000-8000-000000000001', 1000, 'topup', 'tap-cp-fund', '{}') as topup,
       ledger.post_transfer('12000000-0000-4000-8000-000000000001', '12000000-0000-4000-8000-000000000002',
         300, 'tap-cp-1', 'rent') as transfer;

select results_eq(
  $$select user_id, full_name, email from ledger.transaction_counterparties(
      '12000000-0000-4000-8000-000000000001', array[(select transfer from posted), (select topup from posted)])$$,
  $$values ('12000000-0000-4000-8000-000000000002'::uuid, 'Bita'::text, 'tap-cp-b@ledger.test'::text)$$,
  'the sender sees the recipient, and a top-up has no counterparty');
select results_eq(
  $$select user_id, full_name from ledger.transaction_counterparties(
      '12000000-0000-4000-8000-000000000002', array[(select transfer from posted)])$$,
  $$values ('12000000-0000-4000-8000-000000000001'::uuid, 'Aram'::text)$$,
  'the recipient sees the sender');
select is_empty(
  $$select * from ledger.transaction_counterparties(
      '12000000-0000-4000-8000-000000000003', array[(select transfer from posted)])$$,
  'someone with no leg in the transfer learns nothing about it');
select results_eq(
  $$select phone from ledger.transaction_counterparties(
      '12000000-0000-4000-8000-000000000001', array[(select transfer from posted)])$$,
  $$values (null::text)$$,
  'no verified phone, no phone');

select * from finish();
rollback;
