-- pgTAP: the help desk against finance staff — without tickets.manage they see no customer's tickets,
-- messages or notes, and cannot work tickets, although they are staff elsewhere.
begin;
select plan(6);

select tests.create_user('alice@tk-finance.test', id => 'c4000000-0000-4000-8000-00000000000a');
select tests.create_user('ann@tk-finance.test', 'agent', id => 'c4000000-0000-4000-8000-0000000000a1');
select tests.create_user('fin@tk-finance.test', 'finance', id => 'c4000000-0000-4000-8000-0000000000f1');
create temp table t (id bigint) on commit drop;
grant all on t to authenticated;
select tests.act_as('c4000000-0000-4000-8000-00000000000a');
insert into t select (tickets.open('refund please', 'payment 42', 'payments')).id;
select tests.act_as('c4000000-0000-4000-8000-0000000000a1');
select tickets.post_message((select id from t), 'internal: refund approved?', true) is not null as noted;

select tests.act_as('c4000000-0000-4000-8000-0000000000f1');
select is_empty($$select id from public.tickets where id = (select id from t)$$, 'finance does not see tickets');
select is_empty($$select id from public.ticket_messages where ticket_id = (select id from t)$$,
  'nor their messages and internal notes');
select is_empty($$select id from public.ticket_canned_responses$$, 'nor canned responses');
select throws_ok($$select tickets.assign((select id from t), 'c4000000-0000-4000-8000-0000000000f1')$$, 'TK003', null,
  'finance cannot assign tickets');
select throws_ok($$select tickets.post_message((select id from t), 'hello')$$, 'TK001', null,
  'nor reply to a customer''s ticket');
select throws_ok($$select tickets.check_sla()$$, '42501', null, 'nor run the SLA job');

select * from finish();
rollback;
