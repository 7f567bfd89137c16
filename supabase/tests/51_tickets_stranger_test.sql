-- pgTAP: the help desk against a stranger — a signed-in user sees nothing of another customer's tickets,
-- messages, internal notes, attachments or events, and every action on them answers "not found" (TK001).
begin;
select plan(12);

select tests.create_user('alice@tk-stranger.test', id => 'c2000000-0000-4000-8000-00000000000a');
select tests.create_user('bob@tk-stranger.test', id => 'c2000000-0000-4000-8000-00000000000b');
select tests.create_user('ann@tk-stranger.test', 'agent', id => 'c2000000-0000-4000-8000-0000000000a1');
create temp table t (id bigint) on commit drop;
grant all on t to authenticated;
select tests.act_as('c2000000-0000-4000-8000-00000000000a');
insert into t select (tickets.open('alice secret', 'my card number is …')).id;
select tests.act_as('c2000000-0000-4000-8000-0000000000a1');
select tickets.post_message((select id from t), 'public reply') is not null as replied;
select tickets.post_message((select id from t), 'internal note', true) is not null as noted;
select tests.act_as_owner();
insert into public.ticket_attachments (ticket_id, path, name, size, mime)
select id, id || '/receipt.png', 'receipt.png', 1000, 'image/png' from t;

select tests.act_as('c2000000-0000-4000-8000-00000000000b');
select is_empty($$select id from public.tickets$$, 'another customer''s ticket is invisible');
select is_empty($$select id from public.ticket_messages$$, 'its messages are invisible');
select is_empty($$select id from public.ticket_attachments$$, 'its attachments are invisible');
select is_empty($$select id from public.ticket_events$$, 'its events are invisible');
select is_empty($$select * from tickets.search('alice secret')$$, 'search finds nothing of it');
select throws_ok($$select tickets.post_message((select id from t), 'hi')$$, 'TK001', null,
  'replying to it: not found');
select throws_ok($$select tickets.change_status((select id from t), 'closed')$$, 'TK001', null,
  'closing it: not found');
select throws_ok($$select tickets.rate((select id from t), 1)$$, 'TK001', null, 'rating it: not found');
select throws_ok($$select tickets.set_tags((select id from t), '{x}')$$, 'TK003', null,
  'staff actions are refused to a non-staff user');
select throws_ok($$insert into public.tickets (customer_id, subject, body, department_id)
  values ('c2000000-0000-4000-8000-00000000000b', 's', 'b', 1)$$, '42501', null,
  'nobody writes tickets directly');
select throws_ok($$update public.ticket_messages set body = 'x'$$, '42501', null, 'nor messages');
select tests.act_as_owner();
select is((select count(*)::int from public.ticket_messages where ticket_id = (select id from t)), 2,
  'nothing changed');

select * from finish();
rollback;
