-- pgTAP: row-level security stays cheap on the read paths and still says the same thing. A SQL function that
-- is security definer (or has SET clauses) is never inlined, and PostgreSQL 15 plans its body again in every
-- statement that calls it: no function a policy calls, nor private.primary_role (which public.authorize calls
-- for every permission a policy asks about), may be one. The transactions policy probes the caller's entry
-- per row; if it were ever planned as a hashed subplan it would read the caller's whole history for each
-- statement, so a look-up by id must stay an index probe.
begin;
select plan(7);

select is(
  (select string_agg(distinct p.oid::regprocedure::text, ', ')
   from pg_proc p
   where p.prolang = (select oid from pg_language where lanname = 'sql')
     and (p.prosecdef or p.proconfig is not null)
     and (p.oid = 'private.primary_role(uuid)'::regprocedure
       or p.oid in (select d.refobjid from pg_depend d
                    where d.classid = 'pg_policy'::regclass and d.refclassid = 'pg_proc'::regclass))),
  null,
  'no function a policy calls (nor primary_role) is a SQL function planned again in every statement');

-- Alice paid Bob; Carol is a stranger to both.
select tests.create_user('alice@policy-cost.test', id => 'e6600000-0000-4000-8000-00000000000a');
select tests.create_user('bob@policy-cost.test', id => 'e6600000-0000-4000-8000-00000000000b');
select tests.create_user('carol@policy-cost.test', id => 'e6600000-0000-4000-8000-00000000000c');
select ledger.post_credit('e6600000-0000-4000-8000-00000000000a', 5000, 'topup', 'policy-cost-fund', '{}');
select tests.act_as('e6600000-0000-4000-8000-00000000000a');
select ledger.transfer('bob@policy-cost.test', 100, 'policy-cost-transfer');
select tests.act_as_owner();
create temp table paid on commit drop as
  select transaction_id as id from ledger.entries e join ledger.accounts a on a.id = e.account_id
  where a.user_id = 'e6600000-0000-4000-8000-00000000000b';
grant select on paid to authenticated;

select tests.act_as('e6600000-0000-4000-8000-00000000000b');
select is((select count(*)::int from ledger.transactions where id = (select id from paid)), 1,
  'the recipient sees the transfer');
select unalike(tests.plan_of('select * from ledger.transactions where id = 1'), '%hashed SubPlan%',
  'a look-up by id checks the caller''s entry per row (no hashed subplan)');
select unalike(tests.plan_of('select * from ledger.transactions where id = 1'), '%Seq Scan on entries%',
  'and never scans the entries table');
select matches(tests.plan_of('select * from ledger.transactions where id = 1'),
  'Index Only Scan using entries_account_id_idx on entries',
  'the check is one probe of entries_account_id_idx');

select tests.act_as('e6600000-0000-4000-8000-00000000000c');
select is((select count(*)::int from ledger.transactions where id = (select id from paid)), 0,
  'a stranger does not see it');
select is((select count(*)::int from ledger.transactions), 0, 'nor any transaction');

select * from finish();
rollback;
