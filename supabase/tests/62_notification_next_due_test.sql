-- pgTAP: notifications.next_due_in(), which the dispatcher sleeps by: null when nothing waits (it said 0, and
-- every dispatcher then polled until its time budget ran out), 0 for a row due now, the seconds to a later one.
begin;
select plan(3);

select tests.act_as_owner();
-- Rows other tests left waiting are out of the way inside this transaction (rolled back at the end).
delete from public.notification_outbox where status in ('queued', 'sending');

select tests.act_as_service();
select is(notifications.next_due_in(), null::double precision, 'nothing waits: null, not 0');

select tests.act_as_owner();
insert into public.notification_outbox (category, channel, recipient, event, locale, data, next_attempt_at)
values ('account', 'email', 'later@due.test', 'raw.email', 'en', '{"subject":"s","body":"b"}', now() + interval '30 seconds');
select tests.act_as_service();
select ok(notifications.next_due_in() between 29 and 30, 'a row due in 30 s: about 30');

select tests.act_as_owner();
insert into public.notification_outbox (category, channel, recipient, event, locale, data)
values ('account', 'email', 'now@due.test', 'raw.email', 'en', '{"subject":"s","body":"b"}');
select tests.act_as_service();
select is(notifications.next_due_in(), 0::double precision, 'a row due now: 0');

select * from finish();
rollback;
