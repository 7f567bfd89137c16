-- pgTAP: row-level security for anonymous visitors (role anon, not signed in): there are rows to see, and
-- they read none of them — no profile, wallet, payment, user list or analytics — and move no money.
begin;
select plan(8);

select tests.create_user('carol@rls-anon.test', id => 'd0000000-0000-4000-8000-00000000000c');
select tests.create_user('dave@rls-anon.test', id => 'd0000000-0000-4000-8000-00000000000d');
select ledger.post_credit('d0000000-0000-4000-8000-00000000000c', 5000, 'topup', 'rls-anon-fund', '{}');
select tests.act_as('d0000000-0000-4000-8000-00000000000c');
select payments.create_pending(40000, 'rls top-up', '0123456789abcdef');

select tests.act_as_anon();
select throws_ok('select * from public.profiles', '42501', null, 'a visitor cannot read any profile');
select throws_ok('select * from ledger.wallet_balances', '42501', null, 'a visitor can read nothing in the ledger');
select throws_ok('select * from public.payments', '42501', null, 'a visitor cannot read payments');
select throws_ok('select * from public.payment_events', '42501', null, 'nor payment events');
select throws_ok('select * from private.list_users()', '42501', null, 'a visitor cannot list users');
select throws_ok('select * from analytics.wallet_balances', '42501', null, 'a visitor cannot read analytics');
select throws_ok($$select ledger.transfer('dave@rls-anon.test', 1, 'rls-anon-transfer')$$, '42501', null,
  'a visitor cannot transfer');

select tests.act_as_owner();
select is_empty($$select * from ledger.check_invariants()$$, 'the ledger is consistent');

select * from finish();
rollback;
