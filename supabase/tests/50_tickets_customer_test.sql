-- pgTAP: the help desk as the customer — opens tickets (linking only their own payments and withdrawals), sees
-- their thread without internal notes, replies, may only close and reopen (within 7 days), rates once.
begin;
select plan(24);

select tests.create_user('alice@tk-customer.test', id => 'c1000000-0000-4000-8000-00000000000a');
select tests.create_user('bob@tk-customer.test', id => 'c1000000-0000-4000-8000-00000000000b');
select tests.create_user('ann@tk-customer.test', 'agent', id => 'c1000000-0000-4000-8000-0000000000a1');
select tests.act_as('c1000000-0000-4000-8000-00000000000b');
create temp table bob_payment on commit drop as
  select payments.create_pending(40000, 'bob top-up', '0123456789abcdef') as id;
select tests.act_as('c1000000-0000-4000-8000-00000000000a');
create temp table alice_payment on commit drop as
  select payments.create_pending(40000, 'alice top-up', '0123456789abcdef') as id;
select tests.act_as_owner();
grant select on alice_payment, bob_payment to authenticated;
create temp table t (name text primary key, id bigint) on commit drop;
grant all on t to authenticated;

select tests.act_as('c1000000-0000-4000-8000-00000000000a');
select throws_ok(
  $$select tickets.open('charged twice', 'my top-up', 'payments', 'high', (select id from bob_payment))$$,
  'TK005', null, 'linking another customer''s payment is refused');
select lives_ok(
  $$insert into t select 'one', (tickets.open('شارژ نشد', 'کیف پول خالی است', 'payments', 'high',
      (select id from alice_payment))).id$$,
  'a customer opens a ticket linked to their own payment');
select throws_ok($$select tickets.open('x', 'y', 'nope')$$, 'TK012', null, 'an unknown department is refused');
select throws_ok($$select tickets.open('', 'y')$$, 'TK010', null, 'an empty subject is refused');
select results_eq(
  $$select status::text, priority::text, number ~ '^TK-\d+$', first_response_due_at > created_at,
           resolution_due_at >= first_response_due_at, customer_id
    from public.tickets where id = (select id from t where name = 'one')$$,
  $$values ('open', 'high', true, true, true, 'c1000000-0000-4000-8000-00000000000a'::uuid)$$,
  'the ticket is open, numbered, with SLA due dates, and belongs to the caller');

-- staff answer: one public reply, one internal note
select tests.act_as('c1000000-0000-4000-8000-0000000000a1');
select tickets.post_message((select id from t where name = 'one'), 'در حال بررسی هستیم');
select tickets.post_message((select id from t where name = 'one'), 'internal: looks like a bank delay', true);
select tests.act_as('c1000000-0000-4000-8000-00000000000a');

select results_eq(
  $$select author_role, internal from public.ticket_messages where ticket_id = (select id from t where name = 'one')
    order by id$$,
  $$values ('staff'::text, false)$$, 'the customer sees the public reply and not the internal note');
select is((select count(*)::int from public.ticket_messages where internal), 0, 'no internal note is visible at all');
select is((select count(*)::int from public.ticket_events), 0, 'ticket events are staff-only');
select isnt((select first_responded_at from public.tickets where id = (select id from t where name = 'one')), null,
  'the first public staff reply is the first response');
select throws_ok($$select tickets.post_message((select id from t where name = 'one'), 'note', true)$$,
  'TK004', null, 'a customer cannot write an internal note');
select lives_ok($$select tickets.post_message((select id from t where name = 'one'), 'هنوز شارژ نشده')$$,
  'the customer replies');

-- status: customers only close and reopen
select throws_ok($$select tickets.change_status((select id from t where name = 'one'), 'resolved')$$,
  'TK003', null, 'a customer cannot resolve');
select throws_ok($$select tickets.change_status((select id from t where name = 'one'), 'pending')$$,
  'TK003', null, 'a customer cannot set pending');
select throws_ok($$select tickets.rate((select id from t where name = 'one'), 5)$$, 'TK008', null,
  'an open ticket cannot be rated');
select is((tickets.change_status((select id from t where name = 'one'), 'closed')).status::text, 'closed',
  'the customer closes their ticket');
select throws_ok($$select tickets.post_message((select id from t where name = 'one'), 'more')$$, 'TK015', null,
  'a closed ticket takes no customer reply');
select is((tickets.change_status((select id from t where name = 'one'), 'reopened')).status::text, 'reopened',
  'and reopens it within 7 days');
select is((tickets.change_status((select id from t where name = 'one'), 'closed')).status::text, 'closed',
  'closes it again');
select tests.act_as_owner();
update public.tickets set closed_at = now() - interval '8 days' where id = (select id from t where name = 'one');
select tests.act_as('c1000000-0000-4000-8000-00000000000a');
select throws_ok($$select tickets.change_status((select id from t where name = 'one'), 'reopened')$$,
  'TK006', null, 'reopening more than 7 days after closing is refused');

-- rating
select throws_ok($$select tickets.rate((select id from t where name = 'one'), 6)$$, 'TK010', null,
  'a score outside 1–5 is refused');
select is((tickets.rate((select id from t where name = 'one'), 4, 'سریع بود')).csat_score, 4::smallint,
  'the customer rates a closed ticket');
select throws_ok($$select tickets.rate((select id from t where name = 'one'), 5)$$, 'TK007', null,
  'only once');

-- every status change is audited
select tests.act_as_owner();
select is((select count(*)::int from public.audit_log where action = 'tickets.status_change'
             and target_id = (select id::text from t where name = 'one')), 3,
  'the three status changes are in the audit log');
select results_eq(
  $$select from_status::text, to_status::text from public.ticket_events
    where ticket_id = (select id from t where name = 'one') and kind = 'status' order by id$$,
  $$values ('open', 'closed'), ('closed', 'reopened'), ('reopened', 'closed')$$,
  'and in the ticket''s events');

select * from finish();
rollback;
