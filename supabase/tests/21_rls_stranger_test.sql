-- pgTAP: row-level security against a stranger — a signed-in user with no staff role sees nothing of another
-- user's profile, wallet, statement or payments, cannot change them, and cannot use the staff user views.
begin;
select plan(11);

-- Alice (funded, paid Bob 100, asked for a withdrawal, opened a payment) and Bob, the stranger.
select tests.create_user('alice@rls-stranger.test', id => 'b0000000-0000-4000-8000-00000000000a');
select tests.create_user('bob@rls-stranger.test', id => 'b0000000-0000-4000-8000-00000000000b');
select ledger.post_credit('b0000000-0000-4000-8000-00000000000a', 5000, 'topup', 'rls-stranger-fund', '{}');
select tests.act_as('b0000000-0000-4000-8000-00000000000a');
select ledger.transfer('bob@rls-stranger.test', 100, 'rls-stranger-transfer');
select ledger.request_withdrawal(50, 'IR050170000000123456789012', 'rls-stranger-withdraw');
create temp table alice_payment on commit drop as
  select payments.create_pending(40000, 'rls top-up', '0123456789abcdef') as id;
select tests.act_as('b0000000-0000-4000-8000-00000000000b');
create temp table bob_payment on commit drop as
  select payments.create_pending(40000, 'rls top-up', '0123456789abcdef') as id;
select tests.act_as_owner();
select payments.record_event(id, 'request', 1, '{}', 200, '{}', null, 5) from alice_payment;
grant select on alice_payment, bob_payment to authenticated;
create temp table alice_wallet on commit drop as
  select id from ledger.accounts where user_id = 'b0000000-0000-4000-8000-00000000000a';
grant select on alice_wallet to authenticated;

select tests.act_as('b0000000-0000-4000-8000-00000000000b');

-- profiles ------------------------------------------------------------------------------------------
select is_empty($$select id from public.profiles where id = 'b0000000-0000-4000-8000-00000000000a'$$,
  'another user''s profile is invisible');
select results_eq(
  $$select id from public.profiles
    where id in ('b0000000-0000-4000-8000-00000000000a', 'b0000000-0000-4000-8000-00000000000b')$$,
  $$values ('b0000000-0000-4000-8000-00000000000b'::uuid)$$, 'of two profiles a user sees only their own');
select lives_ok(
  $$update public.profiles set full_name = 'hacked' where id = 'b0000000-0000-4000-8000-00000000000a'$$,
  'updating another user''s profile is not an error…');
select tests.act_as_owner();
select is((select full_name from public.profiles where id = 'b0000000-0000-4000-8000-00000000000a'), 'alice',
  '…but changes nothing');

-- the staff user views ----------------------------------------------------------------------------------
select tests.act_as('b0000000-0000-4000-8000-00000000000b');
select throws_ok($$select * from private.list_users()$$, '42501', 'users.view is required',
  'a user cannot list users');
select throws_ok($$select * from private.user_detail('b0000000-0000-4000-8000-00000000000a')$$, '42501',
  'users.view is required', 'a user cannot read another user''s account details');

-- ledger ----------------------------------------------------------------------------------------------
select is_empty($$select * from ledger.wallet_balances where user_id = 'b0000000-0000-4000-8000-00000000000a'$$,
  'another user''s wallet is invisible');
select is_empty($$select * from ledger.entries where account_id = (select id from alice_wallet)$$,
  'another user''s statement is invisible');

-- payments --------------------------------------------------------------------------------------------
select results_eq(
  $$select id from public.payments where id in (select id from alice_payment union all select id from bob_payment)$$,
  $$select id from bob_payment$$, 'of two payments a user sees only their own');
select results_eq(
  $$select count(*)::int from public.payment_events where payment_id = (select id from alice_payment)$$,
  $$values (0)$$, 'another user''s payment events are invisible');

select tests.act_as_owner();
select is_empty($$select * from ledger.check_invariants()$$, 'the ledger is consistent');

select * from finish();
rollback;
