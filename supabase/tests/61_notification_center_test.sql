-- pgTAP: the notification center and its staff pages, by actor. A user sees and marks only their own
-- notifications and preferences (also through notifications.my_category_choices / my_phone); only
-- notifications.manage reads the delivery log (outbox, attempts) and re-queues dead letters
-- (notifications.requeue_many); only broadcasts.send counts, saves, starts, pauses and cancels broadcasts.
begin;
select plan(23);

select tests.create_user('ana@nc.test', id => 'd1000000-0000-4000-8000-00000000000a');
select tests.create_user('ben@nc.test', id => 'd1000000-0000-4000-8000-00000000000b');
select tests.create_user('aga@nc.test', 'agent', id => 'd1000000-0000-4000-8000-00000000000c');
select tests.create_user('adm@nc.test', 'admin', id => 'd1000000-0000-4000-8000-00000000000d');
update auth.users set phone = '989121230000', phone_confirmed_at = now() where id = 'd1000000-0000-4000-8000-00000000000a';

select tests.act_as_service();
select notifications.emit('transfer.received', 'd1000000-0000-4000-8000-00000000000a',
  '{"amount":"50000","sender":"Ben","transaction_id":"1"}', 'nc-1');
select notifications.emit('security.password_changed', 'd1000000-0000-4000-8000-00000000000b', '{}', 'nc-2');
select tests.act_as_owner();
create temp table ids (name text primary key, id bigint) on commit drop;
grant all on ids to authenticated;
insert into ids select 'ana', id from public.notifications where user_id = 'd1000000-0000-4000-8000-00000000000a';
insert into ids select 'ben', id from public.notifications where user_id = 'd1000000-0000-4000-8000-00000000000b';
insert into ids select 'ana_sms', id from public.notification_outbox
  where user_id = 'd1000000-0000-4000-8000-00000000000a' and channel = 'sms';
update public.notification_outbox set status = 'dead', attempts = 8, last_error = 'gone' where id = (select id from ids where name = 'ana_sms');
insert into public.notification_attempts (outbox_id, attempt, provider, outcome, error)
select id, 1, 'kavenegar', 'permanent', 'gone' from ids where name = 'ana_sms';

-- a user ----------------------------------------------------------------------------------------------
select tests.act_as('d1000000-0000-4000-8000-00000000000a');
select is((select count(*)::int from public.notifications where id in (select id from ids)), 1,
  'ana sees only her own notification');
select is((select count(*)::int from public.notifications where id = (select id from ids where name = 'ben')), 0,
  'ben''s notification is invisible to ana');
update public.notifications set read_at = now() where id = (select id from ids where name = 'ben');
select throws_ok($$update public.notifications set title = 'x' where id = (select id from ids where name = 'ana')$$,
  '42501', null, 'ana cannot rewrite a notification (only read_at)');
update public.notifications set read_at = now() where id = (select id from ids where name = 'ana');
select isnt((select read_at from public.notifications where id = (select id from ids where name = 'ana')), null,
  'ana marks her own notification read');
select is(notifications.my_phone(), '+989121230000', 'my_phone: ana''s verified phone');
select is((select enabled from notifications.my_category_choices() where category = 'money' and channel = 'sms'), true,
  'my_category_choices: SMS on for money by default');
insert into public.notification_category_preferences (user_id, category, channel, enabled)
values ('d1000000-0000-4000-8000-00000000000a', 'money', 'sms', false);
select is((select enabled from notifications.my_category_choices() where category = 'money' and channel = 'sms'), false,
  'my_category_choices follows her choice');
select throws_ok($$insert into public.notification_category_preferences (user_id, category, channel, enabled)
  values ('d1000000-0000-4000-8000-00000000000b', 'money', 'email', false)$$, '42501', null,
  'ana cannot write ben''s preferences');
select throws_ok($$insert into public.notification_preferences (user_id, time_zone)
  values ('d1000000-0000-4000-8000-00000000000a', 'Mars/Olympus')$$, 'NT006', null, 'an unknown time zone is NT006');
select is((select count(*)::int from public.notification_outbox), 0, 'a user sees no delivery log');
select is((select count(*)::int from public.notification_attempts), 0, 'a user sees no attempts');
select throws_ok($$select notifications.requeue_many(array[(select id from ids where name = 'ana_sms')])$$,
  'NT003', null, 'a user cannot re-queue');
select throws_ok($$select notifications.broadcast_recipients_count('{"kind":"all"}')$$, 'NT003', null,
  'a user cannot count a segment');
select throws_ok($$select notifications.save_broadcast(null, 't', '{"kind":"all"}', '{in_app}', '{}',
  '{"fa":"x","en":"x"}')$$, 'NT003', null, 'a user cannot make a broadcast');

select tests.act_as('d1000000-0000-4000-8000-00000000000b');
select is((select count(*)::int from public.notification_category_preferences
  where user_id = 'd1000000-0000-4000-8000-00000000000a'), 0, 'ben cannot read ana''s preferences');
select is(notifications.my_phone(), null, 'ben has no verified phone');
select is((select read_at from public.notifications where id = (select id from ids where name = 'ben')), null,
  'ana''s update did not mark ben''s notification');

-- staff without the permissions -----------------------------------------------------------------------
select tests.act_as('d1000000-0000-4000-8000-00000000000c');
select is((select count(*)::int from public.notification_outbox where id = (select id from ids where name = 'ana_sms')), 0,
  'an agent does not see the delivery log');
select throws_ok($$select notifications.start_broadcast(1)$$, 'NT003', null, 'an agent cannot start a broadcast');

-- an admin (notifications.manage, broadcasts.send) -------------------------------------------------------
select tests.act_as('d1000000-0000-4000-8000-00000000000d');
select is((select count(*)::int from public.notification_attempts
  where outbox_id = (select id from ids where name = 'ana_sms')), 1, 'an admin reads the attempts');
select is(notifications.requeue_many(array[(select id from ids where name = 'ana_sms'), 9223372036854775807]), 1,
  'an admin re-queues the dead letter (an unknown id is ignored)');
select is((select status || '/' || attempts from public.notification_outbox
  where id = (select id from ids where name = 'ana_sms')), 'queued/0', 're-queued: queued, attempts reset');
select ok(notifications.save_broadcast(null, 'nc', '{"kind":"role","role":"admin"}', '{in_app}', '{}',
  '{"fa":"سلام","en":"Hello"}') > 0, 'an admin saves a broadcast');

select * from finish();
rollback;
