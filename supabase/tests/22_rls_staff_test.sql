-- pgTAP: row-level security for staff and privileged roles — admins change others' roles (audited) and
-- nobody else can; staff with users.view list and read users; finance and admin read any wallet and
-- payment, agents none; finance, the server (service_role) and even the table owner write no ledger or
-- payment table directly; analysts read the analytics views and nothing else.
begin;
select plan(62);

select tests.create_user('alice@rls-staff.test', id => 'c0000000-0000-4000-8000-00000000000a');
select tests.create_user('bob@rls-staff.test', id => 'c0000000-0000-4000-8000-00000000000b');
select tests.create_user('admin@rls-staff.test', 'admin', id => 'c0000000-0000-4000-8000-0000000000ad');
select tests.create_user('finance@rls-staff.test', 'finance', id => 'c0000000-0000-4000-8000-0000000000f1');
select tests.create_user('agent@rls-staff.test', 'agent', id => 'c0000000-0000-4000-8000-0000000000a9');
select tests.create_user('auditor@rls-staff.test', 'auditor', id => 'c0000000-0000-4000-8000-0000000000a1');

-- Alice: funded 5000, paid Bob 100, holds 50 for a withdrawal, opened a payment (one gateway exchange).
-- Bob: opened a payment and paid for it.
select ledger.post_credit('c0000000-0000-4000-8000-00000000000a', 5000, 'topup', 'rls-staff-fund', '{}');
select tests.act_as('c0000000-0000-4000-8000-00000000000a');
select ledger.transfer('bob@rls-staff.test', 100, 'rls-staff-transfer');
select ledger.request_withdrawal(50, 'IR050170000000123456789012', 'rls-staff-withdraw');
create temp table alice_payment on commit drop as
  select payments.create_pending(40000, 'rls top-up', '0123456789abcdef') as id;
select tests.act_as('c0000000-0000-4000-8000-00000000000b');
create temp table bob_payment on commit drop as
  select payments.create_pending(70000, 'rls top-up', '0123456789abcdef') as id;
select tests.act_as_owner();
select payments.record_event(id, 'request', 1, '{}', 200, '{}', null, 5) from alice_payment;
select payments.settle(id, 70000) from bob_payment;
grant select on alice_payment, bob_payment to authenticated, service_role;
create temp table alice_wallet on commit drop as
  select id from ledger.accounts where user_id = 'c0000000-0000-4000-8000-00000000000a';
grant select on alice_wallet to authenticated;

-- roles -----------------------------------------------------------------------------------------------
select tests.act_as('c0000000-0000-4000-8000-0000000000ad');
select is(private.set_user_role('c0000000-0000-4000-8000-00000000000b', 'agent', '{"request_id":"req-rls"}'),
  'agent'::public.app_role, 'an admin changes another user''s role');
select throws_ok($$select private.set_user_role('c0000000-0000-4000-8000-0000000000ad', 'user')$$, '42501',
  'nobody may change their own role', 'an admin cannot change their own role');
select tests.act_as_owner();
select is(private.primary_role('c0000000-0000-4000-8000-00000000000b')::text, 'agent', 'Bob is now an agent');
select results_eq(
  $$select actor_id, metadata, request_id from public.audit_log
    where action = 'users.role_change' and target_id = 'c0000000-0000-4000-8000-00000000000b'$$,
  $$values ('c0000000-0000-4000-8000-0000000000ad'::uuid, '{"from":"user","to":"agent"}'::jsonb, 'req-rls'::text)$$,
  'the change is audited in the same transaction, with who, what and the request');

select tests.act_as('c0000000-0000-4000-8000-0000000000a9');
select throws_ok($$select private.set_user_role('c0000000-0000-4000-8000-00000000000a', 'admin')$$, '42501',
  'users.manage is required', 'an agent cannot change roles');
select tests.act_as('c0000000-0000-4000-8000-0000000000f1');
select throws_ok($$select private.set_user_role('c0000000-0000-4000-8000-00000000000a', 'admin')$$, '42501',
  'users.manage is required', 'finance cannot change roles');
select tests.act_as('c0000000-0000-4000-8000-0000000000a1');
select throws_ok($$select private.set_user_role('c0000000-0000-4000-8000-00000000000a', 'admin')$$, '42501',
  'users.manage is required', 'an auditor cannot change roles');
select tests.act_as_owner();
select is(private.primary_role('c0000000-0000-4000-8000-00000000000a')::text, 'user', 'Alice is still a user');

-- the user list and detail (users.view) ---------------------------------------------------------------
-- Five users made in one transaction share created_at, so the list's keyset order is by id, descending.
select tests.create_user(format('rls-paged-%s@rls-staff.test', i),
                         id => format('c1000000-0000-4000-8000-00000000000%s', i)::uuid)
from generate_series(0, 4) as i;
create temp table listed_at on commit drop as
  select created_at from public.profiles where id = 'c1000000-0000-4000-8000-000000000000';
grant select on listed_at to authenticated;
select tests.act_as('c0000000-0000-4000-8000-0000000000a9');
select results_eq($$select id from private.list_users('rls-paged-', null, null, 2)$$,
  $$values ('c1000000-0000-4000-8000-000000000004'::uuid), ('c1000000-0000-4000-8000-000000000003'::uuid)$$,
  'an agent lists users, newest first, a page at a time');
select results_eq(
  $$select id from private.list_users('rls-paged-', (select created_at from listed_at),
                                      'c1000000-0000-4000-8000-000000000003', 2)$$,
  $$values ('c1000000-0000-4000-8000-000000000002'::uuid), ('c1000000-0000-4000-8000-000000000001'::uuid)$$,
  'the next page continues after the last one seen');
select results_eq(
  $$select id from private.list_users('rls-paged-', (select created_at from listed_at),
                                      'c1000000-0000-4000-8000-000000000001', 2)$$,
  $$values ('c1000000-0000-4000-8000-000000000000'::uuid)$$, 'and the last page ends the list');
select results_eq($$select email from private.list_users('RLS-PAGED-3')$$,
  $$values ('rls-paged-3@rls-staff.test'::text)$$, 'search matches the name, ignoring case');
select is_empty($$select * from private.list_users('%') where strpos(email || full_name, '%') = 0$$,
  'a % in the search is matched literally (it finds only users with a % in their email or name)');

select tests.act_as_owner();
update public.profiles set full_name = 'Alice A.' where id = 'c0000000-0000-4000-8000-00000000000a';
select tests.act_as('c0000000-0000-4000-8000-0000000000f1');
select results_eq(
  $$select email, full_name, role::text from private.user_detail('c0000000-0000-4000-8000-00000000000a')$$,
  $$values ('alice@rls-staff.test'::text, 'Alice A.'::text, 'user'::text)$$,
  'finance reads a user''s account and profile');
select results_eq(
  $$select count(*)::int from public.profiles
    where id in ('c0000000-0000-4000-8000-00000000000a', 'c0000000-0000-4000-8000-00000000000b')$$,
  $$values (2)$$, 'staff with users.view see every profile');

-- wallets ---------------------------------------------------------------------------------------------
select tests.act_as('c0000000-0000-4000-8000-0000000000f1');
select results_eq($$select balance, held from ledger.wallet_balances where user_id = 'c0000000-0000-4000-8000-00000000000a'$$,
  $$values (4900::bigint, 50::bigint)$$, 'finance reads any wallet');
select results_eq(
  $$select amount from ledger.entries where account_id = (select id from alice_wallet) order by transaction_id desc$$,
  $$values (-100::bigint), (5000::bigint)$$, 'finance reads any statement');
select tests.act_as('c0000000-0000-4000-8000-0000000000ad');
select results_eq($$select balance, held from ledger.wallet_balances where user_id = 'c0000000-0000-4000-8000-00000000000a'$$,
  $$values (4900::bigint, 50::bigint)$$, 'an admin reads any wallet');
select results_eq(
  $$select amount from ledger.entries where account_id = (select id from alice_wallet) order by transaction_id desc$$,
  $$values (-100::bigint), (5000::bigint)$$, 'an admin reads any statement');
select tests.act_as('c0000000-0000-4000-8000-0000000000a9');
select is_empty($$select * from ledger.wallet_balances where user_id = 'c0000000-0000-4000-8000-00000000000a'$$,
  'an agent cannot read a user''s wallet');

-- payments --------------------------------------------------------------------------------------------
select results_eq(
  $$select count(*)::int from public.payments where id in (select id from alice_payment union all select id from bob_payment)$$,
  $$values (0)$$, 'an agent sees no payments');
select results_eq(
  $$select count(*)::int from public.payment_events where payment_id = (select id from alice_payment)$$,
  $$values (0)$$, 'nor their gateway exchanges');
select tests.act_as('c0000000-0000-4000-8000-0000000000f1');
select results_eq(
  $$select id from public.payments where id in (select id from alice_payment union all select id from bob_payment) order by id$$,
  $$select id from alice_payment union all select id from bob_payment order by id$$,
  'finance sees every payment');
select results_eq(
  $$select count(*)::int from public.payment_events where payment_id = (select id from alice_payment)$$,
  $$values (1)$$, 'and its gateway exchanges');

-- Direct writes: neither finance nor the server writes payments or their events except through functions.
select tests.act_as_owner();
create temp table direct_writes on commit drop as
select format(w.statement, (select id from alice_payment)) as statement, w.what
from (values
  ($$update public.payments set status = 'verified' where id = %s$$, 'mark a payment verified'),
  ($$update public.payments set amount = 1 where id = %s$$, 'change a payment''s amount'),
  ($$delete from public.payments where id = %s$$, 'delete a payment'),
  ($$insert into public.payments (user_id, merchant_key, amount, description, expires_at)
     values ('c0000000-0000-4000-8000-00000000000a', '0123456789abcdef', 1, 'x', now())$$, 'insert a payment'),
  ($$insert into public.payment_events (payment_id, kind) values (%s, 'verify')$$, 'insert a payment event'),
  ($$delete from public.payment_events where payment_id = %s$$, 'delete payment events')) as w (statement, what);
grant select on direct_writes to authenticated, service_role;
select tests.act_as('c0000000-0000-4000-8000-0000000000f1');
select throws_ok(statement, '42501', null, 'finance cannot ' || what) from direct_writes;
select throws_ok(format('select * from payments.settle(%s, 40000)', (select id from alice_payment)), '42501', null,
  'finance cannot settle a payment');
select tests.act_as_service();
select throws_ok(statement, '42501', null, 'the server cannot ' || what) from direct_writes;
select tests.act_as_owner();
select is((select status::text from public.payments where id = (select id from alice_payment)), 'pending',
  'after all that Alice''s payment is still pending');

-- the ledger's history: the server cannot rewrite it, and the table owner is stopped by triggers --------
-- Fire the deferred balance checks of the postings above now: TRUNCATE refuses a table with pending ones.
set constraints all immediate;
create temp table alice_transaction on commit drop as
  select min(transaction_id) as id from ledger.entries where account_id = (select id from alice_wallet);
grant select on alice_transaction to service_role;
select tests.act_as_service();
select throws_ok(
  $$update ledger.entries set amount = amount * 2 where transaction_id = (select id from alice_transaction)$$,
  '42501', null, 'the server cannot update entries');
select tests.act_as_owner();
select throws_ok(format(statement, (select id from alice_transaction)), 'LW090', null,
  'the table owner cannot ' || split_part(statement, ' where', 1))
from unnest(array[
  'update ledger.entries set amount = amount * 2 where transaction_id = %s',
  'delete from ledger.entries where transaction_id = %s',
  'truncate ledger.entries cascade',
  $$update ledger.transactions set metadata = '{}' where id = %s$$,
  'delete from ledger.transactions where id = %s']) as statement;

-- analysts --------------------------------------------------------------------------------------------
-- pgTAP lives in `extensions`; the analyst gets to call it for this (rolled back) transaction only.
grant usage on schema extensions to analyst;
set local role analyst;
select ok(exists (select 1 from analytics.ledger_daily_totals where kind = 'transfer' and transactions >= 1),
  'an analyst reads daily ledger totals');
select ok((select count(*) from analytics.wallet_balances) >= 2, 'and wallet balances');
select ok(exists (select 1 from analytics.withdrawals_pipeline where status = 'pending'),
  'and the withdrawals pipeline');
select ok(exists (select 1 from analytics.system_account_balances where code = 'gateway_clearing'),
  'and system account balances');
select lives_ok(format('select * from analytics.%I', view), 'an analyst reads analytics.' || view)
from unnest(array['payments_daily', 'payments_conversion', 'payments_fees']) as view;
select ok((select sum(paid) from analytics.payments_conversion) >= 1, 'the top-up funnel counts paid top-ups');
select throws_ok(query, '42501', null, 'an analyst cannot ' || query)
from unnest(array['select * from ledger.entries', 'select * from public.profiles', 'select * from auth.users',
                  'select 1 from public.payments limit 1']) as query;
reset role;
select tests.act_as('c0000000-0000-4000-8000-00000000000a');
select throws_ok(format('select * from analytics.%I', view), '42501', null, 'a user cannot read analytics.' || view)
from unnest(array['wallet_balances', 'payments_daily', 'payments_conversion', 'payments_fees']) as view;
select tests.act_as_service();
select throws_ok('select * from analytics.wallet_balances', '42501', null, 'the server cannot read analytics');

select tests.act_as_owner();
select is_empty($$select * from ledger.check_invariants()$$, 'the ledger is consistent');

select * from finish();
rollback;
