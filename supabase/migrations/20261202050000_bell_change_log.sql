-- Purpose: the bell's live updates no longer serialise the commits of money transactions (issue 13: Zarinpal
--          top-ups ≥ 0.15× ledger transfers). notifications.deliver sent `pg_notify('notifications', …)` for
--          each in-app row, inside the transaction that caused it (a top-up's settlement, a transfer's
--          receipt, …). A NOTIFY makes its transaction take one database-wide lock from PreCommit_Notify until
--          its commit is done, so every settling transaction committed one at a time. deliver now appends
--          {user_id, notification_id} to notifications.bell_changes (an unlogged change log: no NOTIFY, no
--          WAL), and marking rows read appends {user_id, read} there too (the trigger announce_read, which
--          sent the other NOTIFY on the channel). Each app process's bell feed (lib/notifications/live.ts)
--          reads the log every 100 ms over ONE connection while it has subscribers, with
--          notifications.bell_changes_since(cursor), through the change-log reader the wallet feed uses
--          (lib/db/change_log.ts). Nothing LISTENs on `notifications` any more.
-- How no change is lost: as ledger.wallet_changes (migration 20261201030100_wallet_change_log.sql): every row
--          carries its writer's xid8; a read returns the rows with xid ≥ its cursor and the next cursor, the
--          xmin of its snapshot; rows read twice are recognised by their id.
-- Clean-up: pg_cron job notifications-bell-changes-cleanup deletes rows older than five minutes every minute
--          (cron.schedule(name, schedule, command), as in pg_cron 1.4 and 1.6). A bell away longer starts again
--          from the unread count, as a new stream does.
-- Access: the log and bell_changes_since are for service_role (the app's bell feed); no other grants.
-- Risk: low–medium (live bell; the same rows in the same transactions, one insert instead of one NOTIFY).
--       Tested in tests/integration/notifications_live_feed_test.ts (no NOTIFY from delivering transactions,
--       every in-app notification under concurrent deliveries) and the bell's SSE tests.

create unlogged table notifications.bell_changes (
  id bigint generated always as identity,
  xid xid8 not null default pg_current_xact_id(),
  user_id uuid not null,
  notification_id bigint,
  read boolean not null default false,
  created_at timestamptz not null default now()
);
comment on table notifications.bell_changes is
  'Change log of the in-app bells: a new in-app notification (notification_id) or rows marked read (read), with the writing transaction''s xid. Written by deliver and announce_read instead of NOTIFY; read by notifications.bell_changes_since; rows older than five minutes are deleted by pg_cron. Unlogged: lost on a crash, when bells start again from the unread count.';
create index bell_changes_xid_idx on notifications.bell_changes (xid);
alter table notifications.bell_changes enable row level security;
revoke all on notifications.bell_changes from public, anon, authenticated, service_role;

/**
 * The bell feed's read: the logged changes of transactions from `since` on (oldest first), and the cursor for
 * the next read (`horizon`, the xmin of the snapshot this read used). With `since` null, no changes: only the
 * cursor to start from.
 */
create function notifications.bell_changes_since(since xid8)
returns table (horizon xid8, changes jsonb)
language sql stable security definer set search_path = '' as $$
  select pg_snapshot_xmin(pg_current_snapshot()),
         coalesce((select jsonb_agg(jsonb_build_object(
                     'id', c.id::text, 'xid', c.xid::text, 'user_id', c.user_id,
                     'notification_id', c.notification_id::text, 'read', c.read) order by c.id)
                   from notifications.bell_changes c where c.xid >= since), '[]'::jsonb)
$$;
comment on function notifications.bell_changes_since(xid8) is
  'Bell feeds: the changes logged by transactions with xid >= since, oldest first ({id, xid, user_id, notification_id, read}; ids as strings), and the next cursor (horizon). service_role.';
revoke execute on function notifications.bell_changes_since(xid8) from public, anon, authenticated;
grant execute on function notifications.bell_changes_since(xid8) to service_role;

create or replace function notifications.announce_read() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into notifications.bell_changes (user_id, read)
  select distinct r.user_id, true from marked r where r.read_at is not null;
  return null;
end $$;
comment on function notifications.announce_read() is
  'Appends {user_id, read} to notifications.bell_changes for each user whose rows were marked read.';

create or replace function notifications.deliver(event text, user_id uuid, data jsonb, dedupe_key text, only_channels text[],
                                      broadcast_id bigint)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  ev public.notification_events;
  cat public.notification_categories;
  prefs public.notification_preferences;
  person record;
  lang text;
  critical boolean;
  phone text;
  due timestamptz := now();
  hold boolean := false;
  tpl public.notification_templates;
  in_app_id bigint;
  want_sms boolean;
  want_whatsapp boolean;
  base_key text;
  payload jsonb := coalesce(data, '{}'::jsonb);
  -- The user's choices for this event's category (null = no row, the default applies), read in one look-up.
  choice_in_app boolean;
  choice_email boolean;
  choice_sms boolean;
  choice_whatsapp boolean;
  on_in_app boolean;
  on_email boolean;
  on_sms boolean;
  on_whatsapp boolean;
begin
  select * into ev from public.notification_events e where e.key = deliver.event;
  if not found then
    raise exception 'unknown notification event' using errcode = 'NT001', detail = deliver.event;
  end if;
  if deliver.user_id is null then return null; end if;
  if jsonb_typeof(payload) <> 'object' then
    raise exception 'notification data must be an object' using errcode = 'NT002';
  end if;
  if deliver.dedupe_key is not null then
    base_key := deliver.event || ':' || deliver.user_id || ':' || deliver.dedupe_key;
    insert into notifications.dedupe (key) values (base_key) on conflict do nothing;
    if not found then return null; end if;
  end if;

  select u.email, u.email_confirmed_at, u.phone, u.phone_confirmed_at, u.deleted_at, coalesce(p.locale, 'fa') as locale
    into person
  from auth.users u left join public.profiles p on p.id = u.id
  where u.id = deliver.user_id;
  if not found or person.deleted_at is not null then return null; end if;
  lang := person.locale;
  -- data.by_locale.{fa,en}: values that differ per language (a broadcast's subject and body)
  if jsonb_typeof(payload -> 'by_locale' -> lang) = 'object' then
    payload := (payload - 'by_locale') || (payload -> 'by_locale' -> lang);
  end if;
  select * into cat from public.notification_categories c where c.key = ev.category;
  critical := cat.priority = 'critical';
  select * into prefs from public.notification_preferences np where np.user_id = deliver.user_id;
  phone := case when person.phone_confirmed_at is not null then notifications.e164(person.phone) end;

  -- notifications.channel_enabled's rule, inline: the master switch (prefs) and the category × channel row,
  -- else the default (in-app and email on, SMS per the category's sms_default, WhatsApp off). One index scan
  -- instead of one planned SQL-function call per channel.
  if not critical then
    select bool_or(c.enabled) filter (where c.channel = 'in_app'), bool_or(c.enabled) filter (where c.channel = 'email'),
           bool_or(c.enabled) filter (where c.channel = 'sms'), bool_or(c.enabled) filter (where c.channel = 'whatsapp')
      into choice_in_app, choice_email, choice_sms, choice_whatsapp
    from public.notification_category_preferences c
    where c.user_id = deliver.user_id and c.category = ev.category;
  end if;
  on_in_app := coalesce(prefs.in_app_enabled, true) and coalesce(choice_in_app, true);
  on_email := coalesce(prefs.email_enabled, true) and coalesce(choice_email, true);
  on_sms := coalesce(prefs.sms_enabled, true) and coalesce(choice_sms, cat.sms_default);
  on_whatsapp := coalesce(prefs.whatsapp_enabled, true) and coalesce(choice_whatsapp, false);

  if not critical then
    if coalesce(prefs.quiet_hours_enabled, true) then
      due := coalesce(notifications.quiet_until(coalesce(prefs.quiet_start, '22:00'), coalesce(prefs.quiet_end, '08:00'),
        coalesce(prefs.time_zone, 'Asia/Tehran'), now()), now());
    end if;
    hold := cat.priority = 'low' and coalesce(prefs.digest_enabled, false);
  end if;

  -- in-app: the templates and the link were split when they were written (template_parts)
  if (deliver.only_channels is null or 'in_app' = any (deliver.only_channels))
     and (critical or on_in_app) then
    select * into tpl from public.notification_templates t
    where t.event = ev.key and t.channel = 'in_app' and t.locale = lang;
    if found then
      insert into public.notifications (user_id, category, event, title, body, link)
      values (deliver.user_id, ev.category, ev.key, notifications.render_parts(tpl.subject_parts, payload, lang),
              notifications.render_parts(tpl.body_parts, payload, lang),
              case when ev.link is not null then notifications.render_parts(ev.link_parts, payload, lang) end)
      returning id into in_app_id;
      -- the bell's announcement: a change-log row, not a NOTIFY (which would serialise this commit)
      insert into notifications.bell_changes (user_id, notification_id) values (deliver.user_id, in_app_id);
    end if;
  end if;

  -- email
  if person.email is not null and person.email <> ''
     and (deliver.only_channels is null or 'email' = any (deliver.only_channels))
     and (critical or on_email)
     and not exists (select 1 from public.notification_suppressions s
                     where s.channel = 'email' and s.address = lower(person.email)) then
    insert into public.notification_outbox (category, channel, recipient, user_id, event, locale, data, critical,
                                            next_attempt_at, status, dedupe_key, broadcast_id)
    values (ev.category, 'email', lower(person.email), deliver.user_id, ev.key, lang, payload, critical, due,
            case when hold then 'held' else 'queued' end, base_key || ':email', deliver.broadcast_id);
  end if;

  -- sms / whatsapp (WhatsApp never reaches +98: those go by SMS)
  if phone is not null then
    want_sms := (deliver.only_channels is null or 'sms' = any (deliver.only_channels))
      and (critical or on_sms);
    want_whatsapp := (deliver.only_channels is null or 'whatsapp' = any (deliver.only_channels)) and not critical
      and on_whatsapp;
    if want_whatsapp and phone like '+98%' then
      want_sms := true;
      want_whatsapp := false;
    end if;
    if want_sms and not exists (select 1 from public.notification_suppressions s
                                where s.channel = 'sms' and s.address = phone) then
      insert into public.notification_outbox (category, channel, recipient, user_id, event, locale, data, critical,
                                              next_attempt_at, status, dedupe_key, broadcast_id)
      values (ev.category, 'sms', phone, deliver.user_id, ev.key, lang, payload, critical, due,
              case when hold then 'held' else 'queued' end, base_key || ':sms', deliver.broadcast_id);
    end if;
    if want_whatsapp then
      insert into public.notification_outbox (category, channel, recipient, user_id, event, locale, data, critical,
                                              next_attempt_at, status, dedupe_key, broadcast_id)
      values (ev.category, 'whatsapp', phone, deliver.user_id, ev.key, lang, payload, critical, due,
              case when hold then 'held' else 'queued' end, base_key || ':whatsapp', deliver.broadcast_id);
    end if;
  end if;
  return in_app_id;
end $$;
comment on function notifications.deliver(text, uuid, jsonb, text, text[], bigint) is
  'emit() with a channel filter and a broadcast id (broadcasts use it); not callable by API roles.';

select cron.schedule('notifications-bell-changes-cleanup', '* * * * *',
  $$delete from notifications.bell_changes where created_at < now() - interval '5 minutes'$$);
