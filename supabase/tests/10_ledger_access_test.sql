-- pgTAP: the ledger's access model — RLS on every table, no direct writes, immutable entries, definer functions.
begin;
select plan(14);

select is_empty(
  $$select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'ledger' and c.relkind = 'r' and not c.relrowsecurity$$,
  'every ledger table has row level security'
);
select is_empty(
  $$select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'ledger' and p.prosecdef
      and not coalesce(p.proconfig, '{}') @> array['search_path=""']$$,
  'every SECURITY DEFINER ledger function pins search_path to empty'
);
select is_empty(
  $$select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'ledger' and has_function_privilege('anon', p.oid, 'execute')$$,
  'anon may execute no ledger function'
);
select ok(not has_table_privilege('authenticated', 'ledger.entries', 'insert'), 'users cannot insert entries');
select ok(not has_table_privilege('service_role', 'ledger.entries', 'update'), 'the service cannot update entries');
select ok(not has_function_privilege('authenticated', 'ledger.post_credit(uuid, bigint, ledger.transaction_kind, text, jsonb)', 'execute'),
  'users cannot credit wallets');
select ok(has_function_privilege('authenticated', 'ledger.transfer(text, bigint, text, text)', 'execute'),
  'users can transfer');

-- A user with money transfers to another; each sees only their own wallet.
select tests.create_user('tap-a@ledger.test', id => '10000000-0000-4000-8000-000000000001');
select tests.create_user('tap-b@ledger.test', id => '10000000-0000-4000-8000-000000000002');
select ledger.post_credit('10000000-0000-4000-8000-000000000001', 1000, 'topup', 'tap-fund', '{}');

select tests.act_as('10000000-0000-4000-8000-000000000001');
select isnt(ledger.transfer('tap-b@ledger.test', 400, 'tap-transfer'), null, 'a user transfers by email');
select results_eq($$select balance from ledger.wallet_balances$$, $$values (600::bigint)$$,
  'the sender sees only their own balance');
select throws_ok($$select ledger.transfer('tap-b@ledger.test', 601, 'tap-overdraft')$$, 'LW001', 'insufficient_funds',
  'an overdraft is refused');
select throws_ok($$insert into ledger.entries (transaction_id, leg, account_id, amount) values (1, 9, 1, 1)$$,
  '42501', null, 'users cannot write entries directly');
select tests.act_as_owner();

select throws_ok($$update ledger.entries set amount = amount + 1$$, 'LW090', null,
  'entries cannot be updated, even by their owner');
select throws_ok($$delete from ledger.transactions$$, 'LW090', null, 'transactions cannot be deleted');
select is_empty($$select * from ledger.check_invariants()$$, 'the ledger is consistent');

select * from finish();
rollback;
