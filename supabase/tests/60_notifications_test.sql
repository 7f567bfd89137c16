-- pgTAP: notifications per actor — users read and mark only their own in-app notifications and own only their
-- preferences; only staff with notifications.manage see the outbox (the delivery log) and its attempts; only
-- broadcasts.send counts, starts, pauses and cancels broadcasts; anonymous callers see nothing.
begin;
select plan(27);

select tests.create_user('nt-a-60@test.local', id => '60000000-0000-4000-8000-000000000001');
select tests.create_user('nt-b-60@test.local', id => '60000000-0000-4000-8000-000000000002');
select tests.create_user('nt-admin-60@test.local', 'admin', id => '60000000-0000-4000-8000-000000000003');
select tests.create_user('nt-agent-60@test.local', 'agent', id => '60000000-0000-4000-8000-000000000004');
select tests.create_user('nt-finance-60@test.local', 'finance', id => '60000000-0000-4000-8000-000000000005');

select tests.act_as_service();
select notifications.emit('payment.failed', '60000000-0000-4000-8000-000000000001', '{"amount":"1000","payment_id":"1"}');
select notifications.emit('payment.failed', '60000000-0000-4000-8000-000000000002', '{"amount":"2000","payment_id":"2"}');

-- a user ---------------------------------------------------------------------------------------------
select tests.act_as('60000000-0000-4000-8000-000000000001');
select is((select count(*)::int from public.notifications where event = 'payment.failed'
  and user_id in ('60000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000002')), 1,
  'user: sees only their own notification');
select is((select user_id from public.notifications where event = 'payment.failed'),
  '60000000-0000-4000-8000-000000000001'::uuid, 'user: the one they see is theirs');
update public.notifications set read_at = now() where user_id = '60000000-0000-4000-8000-000000000002';
select tests.act_as_owner();
select is((select count(*)::int from public.notifications where user_id = '60000000-0000-4000-8000-000000000002'
  and read_at is not null), 0, 'user: cannot mark someone else''s notification read');
select tests.act_as('60000000-0000-4000-8000-000000000001');
update public.notifications set read_at = now() where user_id = '60000000-0000-4000-8000-000000000001';
select is((select count(*)::int from public.notifications where read_at is not null), 1, 'user: marks their own read');
select throws_ok($$update public.notifications set title = 'x'$$, '42501', null, 'user: cannot rewrite a notification');
select throws_ok($$insert into public.notifications (user_id, category, event, title) values
  ('60000000-0000-4000-8000-000000000001', 'money', 'payment.failed', 'fake')$$, '42501', null,
  'user: cannot make notifications');
select lives_ok($$insert into public.notification_preferences (user_id, sms_enabled)
  values ('60000000-0000-4000-8000-000000000001', false)$$, 'user: saves their own preferences');
select throws_ok($$insert into public.notification_preferences (user_id) values ('60000000-0000-4000-8000-000000000002')$$,
  '42501', null, 'user: cannot write someone else''s preferences');
select throws_ok($$insert into public.notification_category_preferences (user_id, category, channel, enabled)
  values ('60000000-0000-4000-8000-000000000002', 'money', 'sms', false)$$, '42501', null,
  'user: cannot write someone else''s category choices');
select throws_ok($$update public.notification_preferences set time_zone = 'Mars/Olympus'$$, 'NT006', null,
  'user: an unknown time zone is refused');
select is((select count(*)::int from public.notification_outbox), 0, 'user: sees no outbox rows (not even their own)');
select is((select count(*)::int from public.notification_attempts), 0, 'user: sees no attempts');
select throws_ok($$select notifications.emit('payment.settled', '60000000-0000-4000-8000-000000000001', '{}')$$,
  '42501', null, 'user: cannot emit');
select throws_ok($$select notifications.enqueue_sms('+989121234567', 'x', true, 'k')$$, '42501', null,
  'user: cannot enqueue an SMS');
select throws_ok($$select notifications.broadcast_recipients_count('{"kind":"all"}')$$, 'NT003', null,
  'user: cannot count a broadcast audience');
select throws_ok($$select notifications.requeue(1)$$, 'NT003', null, 'user: cannot re-queue a message');

-- staff without notifications.manage / broadcasts.send ----------------------------------------------------
select tests.act_as('60000000-0000-4000-8000-000000000004');
select is((select count(*)::int from public.notification_outbox where user_id = '60000000-0000-4000-8000-000000000001'),
  0, 'agent: no delivery log');
select tests.act_as('60000000-0000-4000-8000-000000000005');
select throws_ok($$select notifications.save_broadcast(null, 't', '{"kind":"all"}', '{in_app}', '{}', '{"fa":"x","en":"y"}')$$,
  'NT003', null, 'finance: cannot compose a broadcast');
select is((select count(*)::int from public.broadcasts), 0, 'finance: sees no broadcasts');

-- admin (notifications.manage, broadcasts.send) ---------------------------------------------------------
select tests.act_as('60000000-0000-4000-8000-000000000003');
select cmp_ok((select count(*)::int from public.notification_outbox where user_id = '60000000-0000-4000-8000-000000000001'),
  '>=', 1, 'admin: reads the delivery log');
select cmp_ok(notifications.broadcast_recipients_count('{"kind":"role","role":"finance"}'), '>=', 1::bigint,
  'admin: counts a segment');
select throws_ok($$select notifications.broadcast_recipients_count('{"kind":"everyone"}')$$, 'NT007', null,
  'admin: an unknown segment is refused');
select throws_ok($$select notifications.requeue((select min(id) from public.notification_outbox
  where user_id = '60000000-0000-4000-8000-000000000001'))$$, 'NT005', null,
  'admin: a queued message cannot be re-queued (only dead, failed, bounced or cancelled ones)');
create temporary table made on commit drop as
  select notifications.save_broadcast(null, 'Hello', '{"kind":"role","role":"finance"}', '{in_app}', '{}',
    '{"fa":"سلام","en":"Hello"}') as id;
grant select on made to authenticated, service_role;
select is((notifications.start_broadcast((select id from made))).status, 'done',
  'admin: starts a broadcast (in-app only: done at once)');
select is((select count(*)::int from public.notifications where user_id = '60000000-0000-4000-8000-000000000005'),
  0, 'admin: cannot read another user''s in-app notifications either');
select throws_ok($$select notifications.cancel_broadcast((select id from made))$$, 'NT005', null,
  'admin: a finished broadcast cannot be cancelled');
select tests.act_as('60000000-0000-4000-8000-000000000005');
select is((select count(*)::int from public.notifications where event = 'broadcast.message'), 1,
  'finance (the segment): received the broadcast in-app');

select * from finish();
rollback;
