-- pgTAP: the help desk's pg_cron jobs — the SLA job flags a warning at 80% and a breach at 100% (not while
-- pending) and notifies once; the auto-close job reminds after 5 days pending and closes after 7.
begin;
select plan(14);

select is(
  (select string_agg(jobname || ' | ' || schedule || ' | ' || command, '; ' order by jobname collate "C")::text
   from cron.job where jobname like 'tickets-%'),
  'tickets-auto-close | 17 * * * * | select tickets.auto_close_pending(); tickets-sla | * * * * * | select tickets.check_sla()',
  'both jobs are scheduled with cron expressions (pg_cron 1.4 and 1.6)');

-- The hook records what it is called with, to check the jobs call it.
create table tests.notified (event text, ticket_id bigint);
create or replace function tickets.notify(event text, ticket_id bigint, payload jsonb) returns void
language sql security definer set search_path = '' as $$
  insert into tests.notified values (event, ticket_id)
$$;

select tests.create_user('alice@tk-jobs.test', id => 'c6000000-0000-4000-8000-00000000000a');
create temp table t (name text primary key, id bigint) on commit drop;
grant all on t to authenticated;
select tests.act_as('c6000000-0000-4000-8000-00000000000a');
insert into t select 'warn', (tickets.open('warn', 'x')).id;
insert into t select 'breach', (tickets.open('breach', 'x')).id;
insert into t select 'paused', (tickets.open('paused', 'x')).id;
insert into t select 'remind', (tickets.open('remind', 'x')).id;
insert into t select 'close', (tickets.open('close', 'x')).id;
insert into t select 'replied', (tickets.open('replied', 'x')).id;
select tests.act_as_owner();
update public.tickets set first_response_warn_at = now() - interval '1 minute',
  first_response_due_at = now() + interval '1 hour' where id = (select id from t where name = 'warn');
update public.tickets set first_response_warn_at = now() - interval '2 hours',
  first_response_due_at = now() - interval '1 minute' where id = (select id from t where name = 'breach');
update public.tickets set status = 'pending', pending_since = now(), first_response_warn_at = now() - interval '2 hours',
  first_response_due_at = now() - interval '1 minute' where id = (select id from t where name = 'paused');
update public.tickets set status = 'pending', pending_since = now() - interval '5 days 1 hour'
  where id = (select id from t where name = 'remind');
update public.tickets set status = 'pending', pending_since = now() - interval '7 days 1 hour'
  where id = (select id from t where name = 'close');
update public.tickets set status = 'pending', pending_since = now() - interval '4 days'
  where id = (select id from t where name = 'replied');
-- Tickets of other test files stay out of this one's counts (rolled back at the end).
update public.tickets set sla_warning = true, sla_breached = true, pending_since = now()
  where id not in (select id from t);
delete from tests.notified;

-- SLA
select tests.act_as_service();
select is(tickets.check_sla(), 2, 'two flags: one warning, one breach (which implies the warning)');
select tests.act_as_owner();
select results_eq(
  $$select name, sla_warning, sla_breached from public.tickets join t using (id) where name in ('warn', 'breach', 'paused')
    order by name$$,
  $$values ('breach'::text, true, true), ('paused', false, false), ('warn', true, false)$$,
  'warning at 80%, breach at 100%, nothing while pending');
select results_eq($$select event, count(*)::int from tests.notified group by event order by event$$,
  $$values ('sla.breach'::text, 1), ('sla.warning', 1)$$, 'the hook hears each flag');
select tests.act_as_service();
select is(tickets.check_sla(), 0, 'a second run flags nothing again');
select tests.act_as_owner();
select is((select count(*)::int from public.ticket_events where kind in ('sla_warning', 'sla_breach')
           and ticket_id in (select id from t)), 2, 'flags are recorded as events');

-- Auto-close
delete from tests.notified;
select tests.act_as_service();
select results_eq($$select reminded, closed from tickets.auto_close_pending()$$, $$values (1, 1)$$,
  'one reminder, one close');
select tests.act_as_owner();
select results_eq(
  $$select name, status::text, reminder_sent_at is not null, closed_at is not null from public.tickets join t using (id)
    where name in ('remind', 'close', 'replied') order by name$$,
  $$values ('close'::text, 'closed'::text, false, true), ('remind', 'pending', true, false),
           ('replied', 'pending', false, false)$$,
  'day 7 closes, day 5 reminds, day 4 waits');
select is((select count(*)::int from public.audit_log where action = 'tickets.status_change'
           and target_id = (select id::text from t where name = 'close') and metadata ->> 'to' = 'closed'), 1,
  'the auto-close is audited');
select results_eq($$select event from tests.notified where event <> 'ticket.status_changed' order by event$$,
  $$values ('ticket.auto_closed'::text), ('ticket.pending_reminder')$$, 'and notified');
select tests.act_as_service();
select results_eq($$select reminded, closed from tickets.auto_close_pending()$$, $$values (0, 0)$$,
  'a second run changes nothing');

-- A customer reply resumes a pending ticket, so it is never auto-closed.
select tests.act_as('c6000000-0000-4000-8000-00000000000a');
select is((select status::text from public.tickets where id = (select id from t where name = 'remind')), 'pending',
  'the reminded ticket is pending');
select tickets.post_message((select id from t where name = 'remind'), 'here is the receipt') is not null as replied;
select is((select status::text from public.tickets where id = (select id from t where name = 'remind')), 'open',
  'the customer''s reply opens it again');
select tests.act_as_anon();
select throws_ok($$select tickets.auto_close_pending()$$, '42501', null, 'API users cannot run the job');

select * from finish();
rollback;
