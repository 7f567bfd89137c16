-- pgTAP: the help desk against an anonymous visitor — no ticket data at all, no SQL API.
begin;
select plan(6);

select tests.create_user('alice@tk-anon.test', id => 'c5000000-0000-4000-8000-00000000000a');
create temp table t (id bigint) on commit drop;
grant all on t to authenticated, anon;
select tests.act_as('c5000000-0000-4000-8000-00000000000a');
insert into t select (tickets.open('anon test', 'body')).id;

select tests.act_as_anon();
select throws_ok($$select id from public.tickets$$, '42501', null, 'anon cannot read tickets');
select throws_ok($$select id from public.ticket_messages$$, '42501', null, 'nor messages');
select throws_ok($$select id from public.ticket_attachments$$, '42501', null, 'nor attachments');
select throws_ok($$select id from public.ticket_departments$$, '42501', null, 'nor departments');
select throws_ok($$select tickets.open('x', 'y')$$, '42501', null, 'nor open a ticket');
select throws_ok($$select tickets.post_message((select id from t), 'y')$$, '42501', null, 'nor post a message');

select * from finish();
rollback;
