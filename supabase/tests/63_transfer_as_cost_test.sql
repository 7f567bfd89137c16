-- pgTAP: ledger.transfer_as stays cheap for Postgres and keeps its live-session check. A SQL function that
-- is security definer (or has SET clauses) is never inlined, and PostgreSQL 15 plans its body again on every
-- call: on the transfer path that cost more than the lookups themselves (the live-session check's two such
-- functions were a third of transfer_as's own time), so none of the functions a transfer calls may be one.
begin;
select plan(5);

select is(
  (select string_agg(n.nspname || '.' || p.proname, ', ' order by n.nspname, p.proname)
   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where p.prolang = (select oid from pg_language where lanname = 'sql')
     and (p.prosecdef or p.proconfig is not null)
     and (n.nspname, p.proname) in (
       ('ledger', 'transfer_as'), ('private', 'claims_session_is_live'), ('public', 'session_is_live'),
       ('ledger', 'transfer'), ('ledger', 'find_user'), ('ledger', 'refuse_unaffordable'),
       ('ledger', 'assert_valid_amount'), ('ledger', 'move_between_wallets'), ('ledger', 'post_transaction'),
       ('ledger', 'posting_receipt'), ('ledger', 'caller_scope'), ('auth', 'uid'), ('auth', 'jwt'))),
  null,
  'no function on the transfer path is a SQL function planned on every call (security definer or SET clauses)');

select is(
  (select (length(prosrc) - length(replace(prosrc, '::jsonb', ''))) / length('::jsonb')
   from pg_proc where oid = 'ledger.transfer_as(text, text, bigint, text, text)'::regprocedure),
  1, 'transfer_as parses the claims as jsonb once');

-- The check itself still holds: a live session moves money, an ended one (signed out) moves nothing.
select tests.create_user('cost-sender@transfer.test', id => 'e6300000-0000-4000-8000-000000000001');
select tests.create_user('cost-recipient@transfer.test', id => 'e6300000-0000-4000-8000-000000000002');
insert into auth.sessions (id, user_id, created_at) values
  ('e6310000-0000-4000-8000-000000000001', 'e6300000-0000-4000-8000-000000000001', now());
select ledger.post_credit('e6300000-0000-4000-8000-000000000001', 100000, 'topup', 'cost-seed', '{}');

select tests.act_as_service();
select is(
  (select created from ledger.transfer_as(
    '{"sub":"e6300000-0000-4000-8000-000000000001","role":"authenticated","session_id":"e6310000-0000-4000-8000-000000000001"}',
    'cost-recipient@transfer.test', 1000, 'cost-1')),
  true, 'a live session transfers');
select tests.act_as_owner();
delete from auth.sessions where id = 'e6310000-0000-4000-8000-000000000001';
select tests.act_as_service();
select throws_ok(
  $$select * from ledger.transfer_as(
    '{"sub":"e6300000-0000-4000-8000-000000000001","role":"authenticated","session_id":"e6310000-0000-4000-8000-000000000001"}',
    'cost-recipient@transfer.test', 1000, 'cost-2')$$,
  'LW027', null, 'an ended session is refused');
select throws_ok(
  $$select * from ledger.transfer_as('{"sub":"e6300000-0000-4000-8000-000000000001","role":"anon"}',
    'cost-recipient@transfer.test', 1000, 'cost-3')$$,
  'LW010', null, 'claims of another role are refused');

select * from finish();
rollback;
