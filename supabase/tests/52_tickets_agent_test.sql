-- pgTAP: the help desk as an agent (tickets.manage) — sees every ticket, message and internal note; works the
-- state machine (pending pauses the SLA clock), assigns, tags, merges, renders canned responses.
begin;
select plan(19);

select tests.create_user('alice@tk-agent.test', id => 'c3000000-0000-4000-8000-00000000000a',
  full_name => 'Alice Rahimi');
select tests.create_user('bob@tk-agent.test', id => 'c3000000-0000-4000-8000-00000000000b');
select tests.create_user('ann@tk-agent.test', 'agent', id => 'c3000000-0000-4000-8000-0000000000a1');
select tests.create_user('fin@tk-agent.test', 'finance', id => 'c3000000-0000-4000-8000-0000000000f1');
create temp table t (name text primary key, id bigint) on commit drop;
grant all on t to authenticated;
select tests.act_as('c3000000-0000-4000-8000-00000000000a');
insert into t select 'a1', (tickets.open('first', 'body one', 'technical')).id;
insert into t select 'a2', (tickets.open('second', 'body two', 'technical')).id;
select tickets.post_message((select id from t where name = 'a1'), 'customer follow-up') is not null as posted;
select tests.act_as('c3000000-0000-4000-8000-00000000000b');
insert into t select 'b1', (tickets.open('bob''s', 'body three')).id;

select tests.act_as('c3000000-0000-4000-8000-0000000000a1');
select ok((select count(*) from public.tickets where id in (select id from t)) = 3, 'an agent sees every ticket');
select lives_ok($$select tickets.post_message((select id from t where name = 'a1'), 'note to self', true)$$,
  'an agent writes an internal note');
select is((select count(*)::int from public.ticket_messages where internal and ticket_id in (select id from t)), 1,
  'and reads internal notes');

-- state machine
select throws_ok($$select tickets.change_status((select id from t where name = 'a1'), 'reopened')$$, 'TK002', null,
  'an open ticket cannot be reopened');
select is((tickets.change_status((select id from t where name = 'a1'), 'pending')).status::text, 'pending',
  'open → pending');
select tests.act_as_owner();
-- Pretend the ticket was opened a week ago and has been pending for six days.
update public.tickets set pending_since = now() - interval '6 days', created_at = now() - interval '7 days'
where id = (select id from t where name = 'a1');
select tests.act_as('c3000000-0000-4000-8000-0000000000a1');
select ok((tickets.change_status((select id from t where name = 'a1'), 'open')).paused_minutes > 0,
  'leaving pending adds the paused business minutes');
select tests.act_as_owner();
select is(
  (select resolution_due_at from public.tickets where id = (select id from t where name = 'a1')),
  tickets.business_minutes_add((select created_at from public.tickets where id = (select id from t where name = 'a1')),
    (select p.resolution_minutes from tickets.sla_policies p join public.ticket_departments d on d.id = p.department_id
     where d.code = 'technical' and p.priority = 'normal')
    + (select paused_minutes from public.tickets where id = (select id from t where name = 'a1'))),
  'and the resolution due date is pushed by exactly those minutes');
select tests.act_as('c3000000-0000-4000-8000-0000000000a1');
select is((tickets.change_status((select id from t where name = 'a1'), 'resolved')).status::text, 'resolved',
  'open → resolved');
select isnt((select resolution_minutes from public.tickets where id = (select id from t where name = 'a1')), null,
  'the resolution time is recorded in business minutes');
select throws_ok($$select tickets.change_status((select id from t where name = 'a1'), 'pending')$$, 'TK002', null,
  'resolved → pending is not a transition');

-- assignment, tags
select is((tickets.assign((select id from t where name = 'a2'), 'c3000000-0000-4000-8000-0000000000a1')).assignee_id,
  'c3000000-0000-4000-8000-0000000000a1'::uuid, 'manual assignment');
select throws_ok($$select tickets.assign((select id from t where name = 'a2'), 'c3000000-0000-4000-8000-0000000000f1')$$,
  'TK013', null, 'finance cannot be assigned tickets');
select is((tickets.set_tags((select id from t where name = 'a2'), '{ Refund ,refund,bank}')).tags, '{bank,refund}'::text[],
  'tags are trimmed, lower-cased and distinct');

-- merge
select throws_ok($$select tickets.merge((select id from t where name = 'b1'), (select id from t where name = 'a2'))$$,
  'TK009', null, 'tickets of two customers cannot be merged');
select is((tickets.merge((select id from t where name = 'a1'), (select id from t where name = 'a2'))).id,
  (select id from t where name = 'a2'), 'merging answers the survivor');
select results_eq($$select status::text, merged_into from public.tickets where id = (select id from t where name = 'a1')$$,
  $$select 'closed'::text, id from t where name = 'a2'$$, 'the merged ticket is closed and points to the survivor');
select is((select count(*)::int from public.ticket_messages where ticket_id = (select id from t where name = 'a2')), 3,
  'the thread moved (the reply, the note and the merged ticket''s own text)');
select throws_ok($$select tickets.post_message((select id from t where name = 'a1'), 'late')$$, 'TK014', null,
  'the merged ticket takes no more messages');

-- canned responses
insert into public.ticket_canned_responses (title, body_fa, body_en)
values ('greeting', 'سلام {{customer.name}}، تیکت {{ticket.number}} بررسی شد.', 'Hello {{customer.name}}, ticket {{ticket.number}} was reviewed.');
select is(tickets.render_canned((select max(id) from public.ticket_canned_responses), (select id from t where name = 'a2'), 'en'),
  'Hello Alice Rahimi, ticket ' || (select number from public.tickets where id = (select id from t where name = 'a2')) || ' was reviewed.',
  'canned responses fill {{customer.name}} and {{ticket.number}}');

select * from finish();
rollback;
