-- pgTAP: a transfer's posting stays lean (issue 13, round 2) and keeps its guarantees. A watched wallet's
-- new row goes to the change log from the posting itself (no nested PL/pgSQL call); a transfer between two
-- watched wallets appends one log row, which the feed reads as both wallets' changes in ascending account
-- order; a valid amount is not sent through ledger.assert_valid_amount (a nested call per transfer), an
-- invalid one is still refused by it; the proof marker is cleared after the legs; refusals keep their
-- SQLSTATEs.
begin;
select plan(11);

select tests.act_as_owner();
set local track_functions = 'all';
do $$ begin
  perform tests.create_user('lean-a@posting.test', id => 'e6400000-0000-4000-8000-000000000001');
  perform tests.create_user('lean-b@posting.test', id => 'e6400000-0000-4000-8000-000000000002');
  perform tests.create_user('lean-c@posting.test', id => 'e6400000-0000-4000-8000-000000000003');
end $$;
select ledger.post_credit('e6400000-0000-4000-8000-000000000001', 100000, 'topup', 'lean-seed-a', '{}');
select ledger.post_credit('e6400000-0000-4000-8000-000000000002', 100000, 'topup', 'lean-seed-b', '{}');

-- Both wallets of the transfer are watched, the third is not.
insert into ledger.wallet_watchers (user_id, session, expires_at) values
  ('e6400000-0000-4000-8000-000000000001', 'lean', now() + interval '1 minute'),
  ('e6400000-0000-4000-8000-000000000002', 'lean', now() + interval '1 minute');

create temporary table calls_before on commit drop as
  select funcname, calls from pg_stat_xact_user_functions where schemaname = 'ledger';
create temporary table log_before on commit drop as select coalesce(max(id), 0) as id from ledger.wallet_changes;

select ledger.post_transfer('e6400000-0000-4000-8000-000000000002', 'e6400000-0000-4000-8000-000000000001',
  700, 'lean-1', 'watched pair');

select is(
  (select coalesce(sum(s.calls - coalesce(b.calls, 0)), 0)::int from pg_stat_xact_user_functions s
   left join calls_before b using (funcname)
   where s.schemaname = 'ledger' and s.funcname = 'announce_wallet_changes'),
  0, 'a watched transfer logs its rows without a nested ledger.announce_wallet_changes call');
select is(
  (select coalesce(sum(s.calls - coalesce(b.calls, 0)), 0)::int from pg_stat_xact_user_functions s
   left join calls_before b using (funcname)
   where s.schemaname = 'ledger' and s.funcname = 'assert_valid_amount'),
  0, 'a valid amount does not go through ledger.assert_valid_amount');
select results_eq(
  $$select (c->>'user_id')::uuid, (c->>'balance')::bigint, (c->>'available')::bigint
    from ledger.wallet_changes_since('0'::xid8) s, jsonb_array_elements(s.changes) with ordinality as x (c, n)
    where split_part(c->>'id', '.', 1)::bigint > (select id from log_before) order by x.n$$,
  $$values ('e6400000-0000-4000-8000-000000000001'::uuid, 100700::bigint, 100700::bigint),
           ('e6400000-0000-4000-8000-000000000002'::uuid, 99300::bigint, 99300::bigint)$$,
  'the feed reads each watched wallet''s new row once, in ascending account order (the order the rows were locked)');
select is((select count(*)::int from ledger.wallet_changes c where c.id > (select id from log_before)), 1,
  'a transfer between two watched wallets appends one log row');
select is(current_setting('ledger.proven_transactions', true), '', 'the proof marker is cleared after the legs');

-- An unwatched wallet logs nothing.
delete from log_before;
insert into log_before select coalesce(max(id), 0) from ledger.wallet_changes;
select ledger.post_transfer('e6400000-0000-4000-8000-000000000001', 'e6400000-0000-4000-8000-000000000003',
  100, 'lean-2');
select results_eq(
  $$select (c->>'user_id')::uuid
    from ledger.wallet_changes_since('0'::xid8) s, jsonb_array_elements(s.changes) as x (c)
    where split_part(c->>'id', '.', 1)::bigint > (select id from log_before)$$,
  $$values ('e6400000-0000-4000-8000-000000000001'::uuid)$$,
  'only the watched side of a transfer is logged');

-- The refusals are unchanged.
select throws_ok(
  $$select ledger.post_transfer('e6400000-0000-4000-8000-000000000001', 'e6400000-0000-4000-8000-000000000002', 0, 'lean-3')$$,
  'LW004', null, 'an amount of 0 is refused by assert_valid_amount');
select throws_ok(
  $$select ledger.post_transfer('e6400000-0000-4000-8000-000000000001', 'e6400000-0000-4000-8000-000000000002', null, 'lean-4')$$,
  'LW004', null, 'a missing amount is refused');
select throws_ok(
  $$select ledger.post_transfer('e6400000-0000-4000-8000-000000000003', 'e6400000-0000-4000-8000-000000000002', 101, 'lean-5')$$,
  'LW001', null, 'an overdraft is refused');
select is(
  ledger.post_transfer('e6400000-0000-4000-8000-000000000002', 'e6400000-0000-4000-8000-000000000001',
    700, 'lean-1', 'watched pair'),
  (select id from ledger.transactions where idempotency_scope = 'service' and idempotency_key = 'lean-1'),
  'a replay returns the first posting');
select is((select count(*)::int from ledger.check_invariants()), 0, 'the ledger''s invariants hold');

select * from finish();
rollback;
