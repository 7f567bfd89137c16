-- pgTAP: what replaced ledger.entries' foreign keys (migration 20261201030000_cheaper_transfer_posting): every
-- leg still names an existing transaction and account. The posting functions prove it themselves; any other
-- insert is checked at commit by entries_balanced; accounts and transactions cannot be deleted; and
-- ledger.check_invariants() reports a leg whose account is missing.
begin;
select plan(10);

select tests.create_user('tap-guard-a@ledger.test', id => '13000000-0000-4000-8000-000000000001');
select tests.create_user('tap-guard-b@ledger.test', id => '13000000-0000-4000-8000-000000000002');
select ledger.post_credit('13000000-0000-4000-8000-000000000001', 1000, 'topup', 'tap-guard-fund', '{}');

create temp table ids on commit drop as
select (select id from ledger.accounts where user_id = '13000000-0000-4000-8000-000000000001') as wallet,
       (select max(id) + 1000 from ledger.accounts) as missing_account,
       (select max(id) + 1000 from ledger.transactions) as missing_transaction;

-- Inserts legs the way a hand-written statement would (not proven by a posting function), then runs the
-- deferred commit-time checks at once.
create function pg_temp.insert_legs(transaction_id bigint, account_ids bigint[], amounts bigint[])
returns void language plpgsql as $$
begin
  insert into ledger.entries (transaction_id, leg, account_id, amount)
  select insert_legs.transaction_id, t.leg::smallint, t.a, t.m
  from unnest(account_ids, amounts) with ordinality as t (a, m, leg);
  set constraints ledger.entries_balanced immediate;
end $$;

create temp table manual on commit drop as
with t as (
  insert into ledger.transactions (kind, idempotency_scope, idempotency_key, request_hash)
  values ('credit', 'test', 'tap-guard-manual', gen_random_uuid()) returning id
)
select id from t;

select throws_ok(
  format('select pg_temp.insert_legs(%s, array[%s, %s], array[-5, 5])',
    (select missing_transaction from ids), (select wallet from ids), (select wallet from ids)),
  'LW091', 'unbalanced_transaction', 'legs of a transaction that does not exist are refused at commit');
select throws_ok(
  format('select pg_temp.insert_legs(%s, array[%s, %s], array[-5, 5])',
    (select id from manual), (select wallet from ids), (select missing_account from ids)),
  'LW091', 'unbalanced_transaction', 'a leg on an account that does not exist is refused at commit');
select throws_ok(
  format('select pg_temp.insert_legs(%s, array[%s], array[5])', (select id from manual), (select wallet from ids)),
  'LW091', 'unbalanced_transaction', 'a lone leg (any leg number) is refused at commit');
select lives_ok(
  format('select pg_temp.insert_legs(%s, array[%s, %s], array[-5, 5])',
    (select id from manual), (select wallet from ids), (select wallet from ids)),
  'balanced legs on existing accounts pass the commit-time check');

select throws_ok(
  format('select ledger.post_transaction(''credit'', ''test'', ''tap-guard-missing'', ''{}'', ''{}'', array[%s, %s], array[-5, 5])',
    (select missing_account from ids), (select wallet from ids)),
  'LW015', 'account_not_found', 'post_transaction refuses a leg on an account that does not exist');

select throws_ok(
  format('delete from ledger.accounts where id = %s', (select wallet from ids)),
  'LW090', null, 'accounts cannot be deleted');
select throws_ok('truncate ledger.accounts cascade', 'LW090', null, 'nor truncated');

-- A leg that got past every check (as if a posting function had proven a wrong account) is reported.
select set_config('ledger.proven_transactions', (select id from manual) || '-' || (select id from manual), true);
insert into ledger.entries (transaction_id, leg, account_id, amount)
select m.id, 10, i.missing_account, 7 from manual m, ids i
union all select m.id, 11, i.wallet, -7 from manual m, ids i;
select set_config('ledger.proven_transactions', '', true);
select results_eq(
  $$select problem, subject from ledger.check_invariants() where problem = 'entries_without_account'$$,
  format($$values ('entries_without_account'::text, '%s'::text)$$, (select missing_account from ids)),
  'check_invariants reports entries whose account does not exist');

-- The trigger's WHEN clause is evaluated (and planned) for every insert: no SQL-language function in it,
-- whose body would be parsed again for every posting.
select unalike(
  (select pg_get_triggerdef(oid) from pg_trigger where tgname = 'entries_balanced'),
  '%sum_is_proven%', 'entries_balanced''s WHEN clause calls no SQL function');
select is(
  (select fillfactor from (select unnest(reloptions) as o from pg_class where oid = 'ledger.wallet_balances'::regclass) r,
     lateral (select split_part(r.o, '=', 2)::int as fillfactor) f where r.o like 'fillfactor=%'),
  50, 'wallet_balances leaves room on its pages for HOT balance updates');

select * from finish();
rollback;
