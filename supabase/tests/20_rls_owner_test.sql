-- pgTAP: row-level security as the owner of the rows — a signed-in user reads (and, where allowed, edits)
-- their own profile, wallet and payments, and nothing else; they write no table directly and cannot raise
-- their own role. Users come from tests.create_user and act through tests.act_as (supabase/tests/_helpers).
begin;
select plan(45);

-- Alice and Bob have each been funded, Alice paid Bob 100, and each asked for a withdrawal of 50.
select tests.create_user('alice@rls-owner.test', id => 'a0000000-0000-4000-8000-00000000000a');
select tests.create_user('bob@rls-owner.test', id => 'a0000000-0000-4000-8000-00000000000b');
select ledger.post_credit('a0000000-0000-4000-8000-00000000000a', 5000, 'topup', 'rls-owner-fund-a', '{}');
select ledger.post_credit('a0000000-0000-4000-8000-00000000000b', 5000, 'topup', 'rls-owner-fund-b', '{}');
select tests.act_as('a0000000-0000-4000-8000-00000000000a');
select ledger.transfer('bob@rls-owner.test', 100, 'rls-owner-transfer');
select ledger.request_withdrawal(50, 'IR050170000000123456789012', 'rls-owner-withdraw-a');
create temp table alice_payment on commit drop as
  select payments.create_pending(40000, 'rls top-up', '0123456789abcdef') as id;
select tests.act_as('a0000000-0000-4000-8000-00000000000b');
select ledger.request_withdrawal(50, 'IR750170000000123456789013', 'rls-owner-withdraw-b');
create temp table bob_payment on commit drop as
  select payments.create_pending(40000, 'rls top-up', '0123456789abcdef') as id;
select tests.act_as_owner();
select payments.record_event(id, 'request', 1, '{}', 200, '{}', null, 5) from alice_payment;
grant select on alice_payment, bob_payment to authenticated;
create temp table alice_wallet on commit drop as
  select id from ledger.accounts where user_id = 'a0000000-0000-4000-8000-00000000000a';
grant select on alice_wallet to authenticated;

-- profiles ------------------------------------------------------------------------------------------
select tests.act_as('a0000000-0000-4000-8000-00000000000a');
select results_eq($$select id, full_name from public.profiles$$,
  $$values ('a0000000-0000-4000-8000-00000000000a'::uuid, 'alice'::text)$$,
  'a new user has a profile (named from sign-up) and sees only it');
select lives_ok($$update public.profiles set full_name = 'Alice A.'$$, 'the owner edits their profile');
select results_eq($$select full_name from public.profiles$$, $$values ('Alice A.'::text)$$,
  'and reads the change back');
select throws_ok($$update public.profiles set created_at = now() - interval '1 year'$$, '42501', null,
  'the owner cannot change columns outside the editable set');

-- roles: nobody raises their own ----------------------------------------------------------------------
select throws_ok(
  $$insert into public.user_roles (user_id, role) values ('a0000000-0000-4000-8000-00000000000a', 'admin')$$,
  '42501', null, 'a user cannot grant themselves a role');
select throws_ok(
  $$update public.user_roles set role = 'admin' where user_id = 'a0000000-0000-4000-8000-00000000000a'$$,
  '42501', null, 'a user cannot edit their role row');
select throws_ok($$select private.set_user_role('a0000000-0000-4000-8000-00000000000a', 'admin')$$,
  '42501', 'users.manage is required', 'a user cannot call the role change');
select tests.act_as('a0000000-0000-4000-8000-00000000000a', user_role => 'admin');
select throws_ok($$select private.set_user_role('a0000000-0000-4000-8000-00000000000a', 'admin')$$,
  '42501', 'users.manage is required', 'a forged admin claim grants nothing: the database knows the role');
select tests.act_as_owner();
select is(private.primary_role('a0000000-0000-4000-8000-00000000000a')::text, 'user', 'Alice is still a user');

-- ledger: reads -------------------------------------------------------------------------------------
select tests.act_as('a0000000-0000-4000-8000-00000000000a');
select results_eq($$select distinct user_id from ledger.accounts$$,
  $$values ('a0000000-0000-4000-8000-00000000000a'::uuid)$$, 'the owner sees only their own account');
select results_eq($$select distinct user_id from ledger.wallet_balances$$,
  $$values ('a0000000-0000-4000-8000-00000000000a'::uuid)$$, 'only their own balance');
select results_eq($$select distinct user_id from ledger.withdrawals$$,
  $$values ('a0000000-0000-4000-8000-00000000000a'::uuid)$$, 'only their own withdrawals');
select results_eq($$select distinct account_id from ledger.entries$$, $$select id from alice_wallet$$,
  'only their own wallet''s entries');
select results_eq($$select distinct account_id from ledger.holds$$, $$select id from alice_wallet$$,
  'only their own holds');
select results_eq($$select kind::text from ledger.transactions order by id$$, $$values ('topup'), ('transfer')$$,
  'only the transactions they are a party to (their top-up and the transfer)');

-- ledger: no direct writes to any table, and no service postings ----------------------------------------
select throws_ok(format(statement, 'ledger.' || t.name, t.col), '42501', null,
  format('the owner cannot %s ledger.%s directly', split_part(statement, ' ', 1), t.name))
from (values ('accounts', 'name'), ('wallet_balances', 'balance'), ('transactions', 'metadata'),
             ('entries', 'amount'), ('holds', 'reason'), ('withdrawals', 'review_note')) as t (name, col),
     unnest(array['insert into %s default values', 'update %s set %2$I = %2$I', 'delete from %s']) as statement;
select throws_ok(
  $$select ledger.post_credit('a0000000-0000-4000-8000-00000000000a', 1000000, 'topup', 'rls-owner-self', '{}')$$,
  '42501', null, 'a user cannot credit their own wallet');

-- payments --------------------------------------------------------------------------------------------
select results_eq(
  $$select id from public.payments where id in (select id from alice_payment union all select id from bob_payment)$$,
  $$select id from alice_payment$$, 'the owner sees their own payment and not another''s');
select results_eq(
  $$select count(*)::int from public.payment_events where payment_id = (select id from alice_payment)$$,
  $$values (1)$$, 'and the gateway exchanges recorded for it');
select throws_ok(format(w.statement, (select id from alice_payment)), '42501', null, 'the owner cannot ' || w.what)
from (values
  ($$update public.payments set status = 'verified' where id = %s$$, 'mark their payment verified'),
  ($$update public.payments set amount = 1 where id = %s$$, 'change their payment''s amount'),
  ($$delete from public.payments where id = %s$$, 'delete their payment'),
  ($$insert into public.payments (user_id, merchant_key, amount, description, expires_at)
     values ('a0000000-0000-4000-8000-00000000000a', '0123456789abcdef', 1, 'x', now())$$, 'insert a payment'),
  ($$insert into public.payment_events (payment_id, kind) values (%s, 'verify')$$, 'insert a payment event'),
  ($$delete from public.payment_events where payment_id = %s$$, 'delete payment events')) as w (statement, what);
select throws_ok(format('select * from payments.settle(%s, 40000)', (select id from alice_payment)), '42501', null,
  'the owner cannot settle their own payment');

select tests.act_as_owner();
select is((select status::text from public.payments where id = (select id from alice_payment)), 'pending',
  'after all that the payment is still pending');
select is_empty($$select * from ledger.check_invariants()$$, 'the ledger is consistent');

select * from finish();
rollback;
