-- pgTAP: notifications.deliver applies the rule of notifications.channel_enabled (master switch, then the
-- category × channel row, else the default) for every channel × master switch × category choice, and, since
-- issue 13 (a top-up's settlement spent most of its time in its notification), without calling
-- channel_enabled (a SQL function planned afresh on each call) or emit's wrapper when a payment settles.
begin;
select plan(27);

select tests.act_as_owner();
set local track_functions = 'all';
do $$ begin perform tests.create_user('rule@channels.test', id => '6300000f-0000-4000-8000-000000000001'); end $$;
update auth.users set phone = '447700900123', phone_confirmed_at = now()
where id = '6300000f-0000-4000-8000-000000000001';
-- no quiet hours or digest: they decide when, not whether
insert into public.notification_preferences (user_id, quiet_hours_enabled)
values ('6300000f-0000-4000-8000-000000000001', false);

create temporary table rule_cases (channel text, master boolean, choice boolean, expected boolean, made boolean)
  on commit drop;

do $$
declare
  uid uuid := '6300000f-0000-4000-8000-000000000001';
  ch text;
  master boolean;
  choice boolean;
  n int := 0;
  prefs public.notification_preferences;
  expected boolean;
  made boolean;
begin
  foreach ch in array array['in_app', 'email', 'sms', 'whatsapp'] loop
    foreach master in array array[true, false] loop
      for choice in select unnest(array[null, true, false]::boolean[]) loop
        n := n + 1;
        update public.notification_preferences p
        set in_app_enabled = true, email_enabled = true, sms_enabled = true, whatsapp_enabled = true
        where p.user_id = uid;
        execute format('update public.notification_preferences set %I = $1 where user_id = $2', ch || '_enabled')
          using master, uid;
        delete from public.notification_category_preferences c where c.user_id = uid;
        if choice is not null then
          insert into public.notification_category_preferences (user_id, category, channel, enabled)
          values (uid, 'money', ch, choice);
        end if;
        select * into prefs from public.notification_preferences p where p.user_id = uid;
        expected := notifications.channel_enabled(uid, 'money', ch, prefs, true);
        perform notifications.deliver('payment.settled', uid,
          jsonb_build_object('amount', '10000', 'payment_id', n::text, 'ref_id', 'r' || n), 'rule-' || n, null, null);
        if ch = 'in_app' then
          made := exists (select 1 from public.notifications x where x.user_id = uid and x.body like '%r' || n || '%');
        else
          made := exists (select 1 from public.notification_outbox o
                          where o.dedupe_key = 'payment.settled:' || uid || ':rule-' || n || ':' || ch);
        end if;
        insert into rule_cases values (ch, master, choice, expected, made);
      end loop;
    end loop;
  end loop;
end $$;

select is(made, expected, format('%s, master %s, category choice %s', channel, master, coalesce(choice::text, 'none')))
from rule_cases order by channel, master desc, choice nulls first;

-- A settlement's notification: same rows, no per-channel SQL-function calls.
select tests.act_as_owner();
delete from public.notification_category_preferences c where c.user_id = '6300000f-0000-4000-8000-000000000001';
update public.notification_preferences p set in_app_enabled = true, email_enabled = true, sms_enabled = true,
  whatsapp_enabled = true where p.user_id = '6300000f-0000-4000-8000-000000000001';
create temporary table calls_before on commit drop as
  select coalesce(pg_stat_get_xact_function_calls('notifications.channel_enabled'::regproc), 0) as channel_enabled,
         coalesce(pg_stat_get_xact_function_calls('notifications.emit'::regproc), 0) as emit;
select payments.on_settled(row(p.*)::public.payments) from (
  select -63 as id, '6300000f-0000-4000-8000-000000000001'::uuid as user_id
) q, lateral (select (jsonb_populate_record(null::public.payments,
  jsonb_build_object('id', q.id, 'user_id', q.user_id, 'amount', 50000, 'ref_id', 777))).*) p;
select results_eq(
  $$select channel from public.notification_outbox
    where dedupe_key like 'payment.settled:6300000f-0000-4000-8000-000000000001:payment:-63:%' order by channel$$,
  $$values ('email'), ('sms')$$,
  'payment.settled: an email and an SMS (the default for money), as before');
select is(
  (select count(*)::int from public.notifications x
   where x.user_id = '6300000f-0000-4000-8000-000000000001' and x.body like '%777%'), 1,
  'payment.settled: one in-app row');
select is(
  (select coalesce(pg_stat_get_xact_function_calls('notifications.channel_enabled'::regproc), 0)
          - channel_enabled + coalesce(pg_stat_get_xact_function_calls('notifications.emit'::regproc), 0) - emit
   from calls_before),
  0::bigint, 'settling calls neither channel_enabled nor emit''s wrapper');

select * from finish();
rollback;
