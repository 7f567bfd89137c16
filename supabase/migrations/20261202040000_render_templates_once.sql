-- Purpose: a top-up's settlement renders its in-app notification (title, body, link) in the settling
--          transaction (issue 13). notifications.render matched its placeholder pattern against the template
--          on every call (three calls per payment.settled, ≈ 35 µs each); the templates change only when staff
--          edit them. Each template is now split once, when it is written, into its literal parts and
--          placeholders (stored generated columns subject_parts / body_parts on notification_templates and
--          link_parts on notification_events, from notifications.template_parts, which uses render's own
--          pattern), and deliver fills the parts (notifications.render_parts: no regular expression). The text
--          a user gets is the same: supabase/tests/64_render_parts_test.sql compares render_parts over
--          template_parts with render for every stored template and for generated templates.
--          payments.on_settled no longer sends the `payment_settled` NOTIFY: nothing LISTENs on it (the
--          wallet feed reads the change log, the bell listens on `notifications`).
-- Access: template_parts is callable where render is (authenticated and service_role: the generated columns
--         are computed as the staff member who edits a template); render_parts by nobody but the owner (deliver).
-- Risk: low–medium: same rows in the same transaction; render stays (the digest and tests use it).

create function notifications.template_parts(template text) returns text[]
language plpgsql immutable set search_path = '' as $$
declare
  -- notifications.render's placeholder: {{name}} or {{name|toman}}, spaces allowed inside the braces.
  pattern constant text := '\{\{\s*([a-z_][a-z0-9_]*)\s*(\|\s*toman\s*)?\}\}';
  literals text[];
  m text[];
  n integer := 1;
  parts text[];
begin
  if template is null then return null; end if;
  literals := regexp_split_to_array(template, pattern);
  parts := array[literals[1]];
  for m in select regexp_matches(template, pattern, 'g') loop
    n := n + 1;
    parts := parts || array[m[1], case when m[2] is null then '' else 'toman' end, literals[n]];
  end loop;
  return parts;
end $$;
comment on function notifications.template_parts(text) is
  'A template split once for rendering: {literal, name, '''' | ''toman'', literal, …} (3k+1 elements for k placeholders).';

create function notifications.render_parts(parts text[], data jsonb, locale text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  out_text text := parts[1];
  value text;
begin
  for i in 2 .. coalesce(array_length(parts, 1), 1) by 3 loop
    value := coalesce(data ->> parts[i], '');
    if parts[i + 1] = 'toman' then value := notifications.format_toman(value, locale); end if;
    out_text := out_text || value || parts[i + 2];
  end loop;
  return out_text;
end $$;
comment on function notifications.render_parts(text[], jsonb, text) is
  'notifications.render over a template already split by template_parts (no pattern matching per message).';

revoke execute on function notifications.template_parts(text), notifications.render_parts(text[], jsonb, text)
  from public, anon, authenticated, service_role;
grant execute on function notifications.template_parts(text) to authenticated, service_role;

alter table public.notification_templates
  add column subject_parts text[] generated always as (notifications.template_parts(subject)) stored,
  add column body_parts text[] generated always as (notifications.template_parts(body)) stored;
comment on column public.notification_templates.subject_parts is 'subject split for rendering (notifications.template_parts).';
comment on column public.notification_templates.body_parts is 'body split for rendering (notifications.template_parts).';
alter table public.notification_events
  add column link_parts text[] generated always as (notifications.template_parts(link)) stored;
comment on column public.notification_events.link_parts is 'link split for rendering (notifications.template_parts).';

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
      perform pg_notify('notifications', json_build_object('id', in_app_id::text, 'user_id', deliver.user_id)::text);
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

create or replace function payments.on_settled(payment public.payments) returns void
language plpgsql security definer set search_path = '' as $$
begin
  -- Runs inside the settling transaction, so the notification commits with the credit or not at all.
  -- = notifications.emit(...), without its SQL-function wrapper (planned on every call).
  perform notifications.deliver('payment.settled', payment.user_id, jsonb_build_object(
    'amount', payment.amount::text, 'payment_id', payment.id::text, 'ref_id', coalesce(payment.ref_id::text, '')),
    'payment:' || payment.id, null, null);
end $$;
comment on function payments.on_settled(public.payments) is
  'Called once per payment, in the transaction that settles it: emits payment.settled (in-app row and outbox).';
