-- pgTAP: public.session_is_live — the money routes' live-session check. True while the token's Auth session
-- exists, within its time box, for its own user, who is not banned; callable by the service role only.
begin;
select plan(8);

select tests.create_user('live@session.test', id => 'e0000000-0000-4000-8000-000000000001');
select tests.create_user('other@session.test', id => 'e0000000-0000-4000-8000-000000000002');
insert into auth.sessions (id, user_id, created_at) values
  ('e1000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001', now()),
  ('e1000000-0000-4000-8000-000000000002', 'e0000000-0000-4000-8000-000000000001', now());

select tests.act_as_service();
select ok(public.session_is_live('e1000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001'),
  'a session Auth still holds is live');
select ok(not public.session_is_live('e1000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000002'),
  'another user cannot claim it');
select ok(not public.session_is_live('e1000000-0000-4000-8000-0000000000ff', 'e0000000-0000-4000-8000-000000000001'),
  'an unknown session is not live');

select tests.act_as_owner();
delete from auth.sessions where id = 'e1000000-0000-4000-8000-000000000001';
update auth.sessions set not_after = now() - interval '1 minute' where id = 'e1000000-0000-4000-8000-000000000002';
select tests.act_as_service();
select ok(not public.session_is_live('e1000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001'),
  'a signed-out (deleted) session is not live');
select ok(not public.session_is_live('e1000000-0000-4000-8000-000000000002', 'e0000000-0000-4000-8000-000000000001'),
  'a session past its time box is not live');

select tests.act_as_owner();
insert into auth.sessions (id, user_id, created_at)
  values ('e1000000-0000-4000-8000-000000000003', 'e0000000-0000-4000-8000-000000000002', now());
update auth.users set banned_until = now() + interval '1 day' where id = 'e0000000-0000-4000-8000-000000000002';
select tests.act_as_service();
select ok(not public.session_is_live('e1000000-0000-4000-8000-000000000003', 'e0000000-0000-4000-8000-000000000002'),
  'a banned user''s session is not live');

select tests.act_as('e0000000-0000-4000-8000-000000000001');
select throws_ok($$select public.session_is_live('e1000000-0000-4000-8000-000000000002', 'e0000000-0000-4000-8000-000000000001')$$,
  '42501', null, 'signed-in users cannot call it');
select tests.act_as_anon();
select throws_ok($$select public.session_is_live('e1000000-0000-4000-8000-000000000002', 'e0000000-0000-4000-8000-000000000001')$$,
  '42501', null, 'anonymous callers cannot call it');

select * from finish();
rollback;
