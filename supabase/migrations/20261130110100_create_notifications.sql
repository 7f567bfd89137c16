-- Purpose: the messaging fabric's schema and SQL API (issue 15). docs/notifications.md is the contract.
--          - public.notification_categories / notification_events: what can notify, its category, whether it
--            is critical (security: bypasses preferences and quiet hours) and the variables its templates use.
--          - public.notification_templates: per event × channel (in_app, email, sms, whatsapp) × locale (fa, en),
--            `{{variable}}` and `{{variable|toman}}` placeholders; staff with `notifications.manage` edit them.
--          - public.notifications: the in-app notification center (one row per user-visible notification).
--          - public.notification_preferences (+ notification_category_preferences for per category × channel
--            choices): global switch per channel, quiet hours (default 22:00–08:00 Asia/Tehran), daily digest
--            for low-priority categories. No row means the defaults.
--          - public.notification_outbox: one row per message per channel (email, sms, whatsapp), the
--            dispatcher's work queue; public.notification_attempts: every send attempt.
--          - public.notification_suppressions: addresses that must not be used (a hard bounce).
--          - public.broadcasts: staff messages to a segment, throttled by the dispatcher.
--          - notifications.emit / enqueue_sms / enqueue_email: the only way messages are made, always inside
--            the caller's transaction. The dispatcher's own functions (claim, complete, circuit breaker) follow
--            in the next migrations.
-- Layout: tables the app and the staff pages read are in `public` (RLS on each); the SQL API lives in schema
--         `notifications` (not exposed through PostgREST).
-- Access: a user reads and marks read only their own in-app notifications, reads and writes only their own
--         preferences; staff with `notifications.manage` read the outbox, attempts, suppressions and edit
--         templates; `broadcasts.send` creates and starts broadcasts. Nobody inserts outbox rows directly.
-- Risk: medium: new tables; emit() runs inside money and ticket transactions, so it does not raise on a user
--       without an email or phone — that channel is simply skipped.
-- Error codes (lib/notifications/errors.ts): NT001 notification_unknown_event, NT002 notification_invalid_input,
--   NT003 notification_not_permitted, NT004 broadcast_not_found, NT005 broadcast_invalid_transition,
--   NT006 notification_invalid_time_zone, NT007 notification_invalid_segment.

create schema if not exists notifications;
comment on schema notifications is
  'The messaging fabric''s SQL API (emit, enqueue_sms, enqueue_email, broadcasts, the dispatcher''s claim/complete); not exposed through PostgREST.';
revoke all on schema notifications from public;
grant usage on schema notifications to authenticated, service_role;

insert into public.role_permissions (role, permission) values ('admin', 'notifications.manage')
on conflict do nothing;

-- catalogue ---------------------------------------------------------------------------------------------
create table public.notification_categories (
  key text primary key check (key ~ '^[a-z_]{2,30}$'),
  priority text not null check (priority in ('critical', 'high', 'normal', 'low')),
  sms_default boolean not null default false,
  position smallint not null default 0
);
comment on table public.notification_categories is
  'Notification categories. critical: bypasses preferences and quiet hours; low: may go into the daily digest. sms_default: SMS is on by default once the user has a verified phone.';

insert into public.notification_categories (key, priority, sms_default, position) values
  ('money', 'high', true, 1), ('tickets', 'normal', false, 2), ('security', 'critical', true, 3),
  ('account', 'normal', false, 4), ('broadcasts', 'low', false, 5);

create table public.notification_events (
  key text primary key check (key ~ '^[a-z_]+\.[a-z_.]+$'),
  category text not null references public.notification_categories (key),
  audience text not null check (audience in ('customer', 'agent', 'any')),
  variables text[] not null default '{}',
  link text,
  description text not null default ''
);
comment on table public.notification_events is
  'Every event that notifies: its category, who receives it, the variables its templates may use, and the in-app link pattern (with {{variables}}).';

insert into public.notification_events (key, category, audience, variables, link, description) values
  ('payment.settled', 'money', 'customer', '{amount,payment_id,ref_id}', '/wallet', 'A top-up was credited.'),
  ('payment.failed', 'money', 'customer', '{amount,payment_id}', '/wallet', 'A top-up failed.'),
  ('payment.needs_review', 'money', 'customer', '{amount,payment_id}', '/wallet', 'A top-up waits for review.'),
  ('transfer.received', 'money', 'customer', '{amount,sender,transaction_id}', '/wallet', 'Money arrived from another user.'),
  ('withdrawal.requested', 'money', 'customer', '{amount,withdrawal_id}', '/wallet', 'A withdrawal was requested.'),
  ('withdrawal.paid', 'money', 'customer', '{amount,withdrawal_id}', '/wallet', 'A withdrawal was paid out.'),
  ('withdrawal.rejected', 'money', 'customer', '{amount,withdrawal_id,reason}', '/wallet', 'A withdrawal was rejected.'),
  ('refund.done', 'money', 'customer', '{amount,payment_id}', '/wallet', 'A payment was refunded.'),
  ('ticket.replied', 'tickets', 'customer', '{ticket_id,number,subject}', '/tickets/{{ticket_id}}', 'Staff replied to the customer''s ticket.'),
  ('ticket.status_changed', 'tickets', 'customer', '{ticket_id,number,subject,status}', '/tickets/{{ticket_id}}', 'The customer''s ticket changed status.'),
  ('ticket.opened', 'tickets', 'agent', '{ticket_id,number,subject}', '/admin/tickets/{{ticket_id}}', 'A new ticket in the agent''s department.'),
  ('ticket.mentioned', 'tickets', 'agent', '{ticket_id,number,subject}', '/admin/tickets/{{ticket_id}}', 'An agent was @mentioned in a note.'),
  ('ticket.assigned', 'tickets', 'agent', '{ticket_id,number,subject}', '/admin/tickets/{{ticket_id}}', 'A ticket was assigned to the agent.'),
  ('ticket.sla_warning', 'tickets', 'agent', '{ticket_id,number,subject}', '/admin/tickets/{{ticket_id}}', 'A ticket''s SLA is about to be breached.'),
  ('ticket.sla_breach', 'tickets', 'agent', '{ticket_id,number,subject}', '/admin/tickets/{{ticket_id}}', 'A ticket''s SLA was breached.'),
  ('security.password_changed', 'security', 'any', '{}', '/profile', 'The password was changed.'),
  ('security.email_changed', 'security', 'any', '{email}', '/profile', 'The email address was changed.'),
  ('security.new_sign_in', 'security', 'any', '{ip,user_agent}', '/profile', 'A new sign-in.'),
  ('security.role_changed', 'security', 'any', '{role}', '/profile', 'The account''s role changed.'),
  ('account.email_bounced', 'account', 'any', '{email}', '/profile', 'Email to the user''s address bounced; email is off for it.'),
  ('broadcast.message', 'broadcasts', 'any', '{subject,body}', null, 'A staff broadcast.'),
  ('digest.daily', 'broadcasts', 'any', '{count,items}', null, 'The daily digest of held low-priority messages.'),
  ('raw.sms', 'security', 'any', '{body}', null, 'A text given by the caller (Auth OTP through enqueue_sms).'),
  ('raw.email', 'account', 'any', '{subject,body}', null, 'A message given by the caller (enqueue_email).');

create table public.notification_templates (
  event text not null references public.notification_events (key) on delete cascade,
  channel text not null check (channel in ('in_app', 'email', 'sms', 'whatsapp')),
  locale text not null check (locale in ('fa', 'en')),
  subject text not null default '' check (length(subject) <= 200),
  body text not null check (length(body) between 1 and 5000),
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null,
  primary key (event, channel, locale)
);
comment on table public.notification_templates is
  'Message templates per event × channel × locale. subject is the in-app title or the email subject (unused for sms/whatsapp). Placeholders: {{var}} and {{var|toman}} (rials shown as grouped tomans, Persian digits in fa).';

-- in-app ------------------------------------------------------------------------------------------------
create table public.notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  category text not null references public.notification_categories (key),
  event text not null references public.notification_events (key),
  title text not null,
  body text not null default '',
  link text,
  read_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.notifications is 'The in-app notification center: rows are made by notifications.emit; users read and mark their own.';
create index notifications_user_id_idx on public.notifications (user_id, id desc);
create index notifications_unread_idx on public.notifications (user_id) where read_at is null;

-- preferences -------------------------------------------------------------------------------------------
create table public.notification_preferences (
  user_id uuid primary key references auth.users (id) on delete cascade,
  in_app_enabled boolean not null default true,
  email_enabled boolean not null default true,
  sms_enabled boolean not null default true,
  whatsapp_enabled boolean not null default true,
  quiet_hours_enabled boolean not null default true,
  quiet_start time not null default '22:00',
  quiet_end time not null default '08:00',
  time_zone text not null default 'Asia/Tehran' check (length(time_zone) between 1 and 64),
  digest_enabled boolean not null default false,
  updated_at timestamptz not null default now()
);
comment on table public.notification_preferences is
  'Per-user global channel switches, quiet hours (non-critical messages wait until quiet_end in time_zone) and the daily digest for low-priority categories. No row = these defaults. Whether a channel is on for a category is in notification_category_preferences.';

create table public.notification_category_preferences (
  user_id uuid not null references auth.users (id) on delete cascade,
  category text not null references public.notification_categories (key),
  channel text not null check (channel in ('in_app', 'email', 'sms', 'whatsapp')),
  enabled boolean not null,
  primary key (user_id, category, channel)
);
comment on table public.notification_category_preferences is
  'A user''s choice for one category × channel; no row = the default (in-app and email on; SMS on for categories with sms_default once the phone is verified; WhatsApp off).';

create function notifications.check_time_zone() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not exists (select 1 from pg_catalog.pg_timezone_names where name = new.time_zone) then
    raise exception 'unknown time zone' using errcode = 'NT006', detail = new.time_zone;
  end if;
  new.updated_at := now();
  return new;
end $$;
comment on function notifications.check_time_zone() is 'Refuses a time zone Postgres does not know (NT006).';
create trigger notification_preferences_check before insert or update on public.notification_preferences
  for each row execute function notifications.check_time_zone();

-- outbox ------------------------------------------------------------------------------------------------
create table public.notification_outbox (
  id bigint generated always as identity primary key,
  category text not null references public.notification_categories (key),
  channel text not null check (channel in ('email', 'sms', 'whatsapp')),
  recipient text not null check (length(recipient) between 3 and 320),
  user_id uuid references auth.users (id) on delete set null,
  event text not null references public.notification_events (key),
  locale text not null default 'fa' check (locale in ('fa', 'en')),
  data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
  status text not null default 'queued' check (status in
    ('held', 'queued', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'dead', 'cancelled', 'digested')),
  attempts smallint not null default 0 check (attempts >= 0),
  max_attempts smallint not null default 8 check (max_attempts between 1 and 20),
  next_attempt_at timestamptz not null default now(),
  claimed_until timestamptz,
  claimed_by text,
  last_error text,
  provider text,
  provider_message_id text,
  critical boolean not null default false,
  broadcast_id bigint,
  dedupe_key text collate "C" check (length(dedupe_key) <= 300),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  delivered_at timestamptz,
  constraint notification_outbox_dedupe unique (dedupe_key)
);
comment on table public.notification_outbox is
  'One message per channel. Life: queued → sending (claimed, lease claimed_until) → sent → delivered | failed | bounced; a failed attempt goes back to queued with next_attempt_at (backoff) until max_attempts, then dead; held = waiting for the daily digest (then digested); cancelled by staff or a broadcast cancel.';
create index notification_outbox_due_idx on public.notification_outbox (next_attempt_at)
  where status in ('queued', 'sending');
create index notification_outbox_provider_message_idx on public.notification_outbox (provider, provider_message_id)
  where provider_message_id is not null;
create index notification_outbox_user_idx on public.notification_outbox (user_id, id desc);
create index notification_outbox_broadcast_idx on public.notification_outbox (broadcast_id, status)
  where broadcast_id is not null;
create index notification_outbox_status_idx on public.notification_outbox (status, id desc);

create table public.notification_attempts (
  id bigint generated always as identity primary key,
  outbox_id bigint not null references public.notification_outbox (id) on delete cascade,
  attempt smallint not null,
  provider text not null,
  outcome text not null check (outcome in ('sent', 'retry', 'permanent', 'callback')),
  error text,
  duration_ms integer,
  created_at timestamptz not null default now()
);
comment on table public.notification_attempts is
  'Every send attempt (and every provider status callback) of an outbox row: provider, outcome, error, duration.';
create index notification_attempts_outbox_idx on public.notification_attempts (outbox_id, id);

create table public.notification_suppressions (
  channel text not null check (channel in ('email', 'sms', 'whatsapp')),
  address text collate "C" not null,
  reason text not null,
  created_at timestamptz not null default now(),
  primary key (channel, address)
);
comment on table public.notification_suppressions is 'Addresses messages are not sent to (a hard bounce, a number the provider says is invalid).';

-- broadcasts --------------------------------------------------------------------------------------------
create table public.broadcasts (
  id bigint generated always as identity primary key,
  title text not null check (length(title) between 1 and 200),
  segment jsonb not null default '{"kind":"all"}' check (jsonb_typeof(segment) = 'object'),
  channels text[] not null default '{in_app}'
    check (cardinality(channels) between 1 and 4 and channels <@ array['in_app', 'email', 'sms', 'whatsapp']),
  subject jsonb not null default '{}' check (jsonb_typeof(subject) = 'object'),
  body jsonb not null check (jsonb_typeof(body) = 'object' and body ? 'fa' and body ? 'en'),
  status text not null default 'draft' check (status in ('draft', 'sending', 'paused', 'cancelled', 'done')),
  rate_per_minute integer not null default 6000 check (rate_per_minute between 1 and 1000000),
  recipients integer not null default 0,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
comment on table public.broadcasts is
  'Staff messages to a segment ({"kind":"all"|"role"|"balance_at_least"|"inactive_days"|"department_customers", …}). Starting expands the segment into outbox rows (category broadcasts, preferences respected); the dispatcher sends at most rate_per_minute per channel; progress = counts of its outbox rows by status (notifications.broadcast_progress).';
alter table public.notification_outbox add constraint notification_outbox_broadcast_fk
  foreign key (broadcast_id) references public.broadcasts (id) on delete set null;

create table notifications.dedupe (
  key text collate "C" primary key,
  created_at timestamptz not null default now()
);
comment on table notifications.dedupe is 'emit() dedupe keys already used (event:user:key); kept 30 days.';

-- grants and RLS ----------------------------------------------------------------------------------------
alter table public.notification_categories enable row level security;
alter table public.notification_events enable row level security;
alter table public.notification_templates enable row level security;
alter table public.notifications enable row level security;
alter table public.notification_preferences enable row level security;
alter table public.notification_category_preferences enable row level security;
alter table public.notification_outbox enable row level security;
alter table public.notification_attempts enable row level security;
alter table public.notification_suppressions enable row level security;
alter table public.broadcasts enable row level security;
alter table notifications.dedupe enable row level security;

revoke all on table public.notification_categories, public.notification_events, public.notification_templates,
  public.notifications, public.notification_preferences, public.notification_category_preferences,
  public.notification_outbox, public.notification_attempts, public.notification_suppressions, public.broadcasts
  from anon, authenticated;
grant all on table public.notification_categories, public.notification_events, public.notification_templates,
  public.notifications, public.notification_preferences, public.notification_category_preferences,
  public.notification_outbox, public.notification_attempts, public.notification_suppressions, public.broadcasts
  to service_role;
grant select on table public.notification_categories, public.notification_events, public.notification_templates,
  public.notifications, public.notification_preferences, public.notification_category_preferences,
  public.notification_outbox, public.notification_attempts, public.notification_suppressions, public.broadcasts
  to authenticated;
grant update (read_at) on table public.notifications to authenticated;
grant insert, update (in_app_enabled, email_enabled, sms_enabled, whatsapp_enabled, quiet_hours_enabled, quiet_start,
  quiet_end, time_zone, digest_enabled) on table public.notification_preferences to authenticated;
grant insert, update (enabled), delete on table public.notification_category_preferences to authenticated;
grant update (subject, body) on table public.notification_templates to authenticated;
grant delete on table public.notification_suppressions to authenticated;

create policy "notification_categories: signed-in users read" on public.notification_categories
  for select to authenticated using (true);
create policy "notification_events: signed-in users read" on public.notification_events
  for select to authenticated using (true);
create policy "notification_templates: staff read" on public.notification_templates
  for select to authenticated using ((select public.authorize('notifications.manage')));
create policy "notification_templates: staff edit" on public.notification_templates
  for update to authenticated using ((select public.authorize('notifications.manage')))
  with check ((select public.authorize('notifications.manage')));

create policy "notifications: owner reads" on public.notifications
  for select to authenticated using (user_id = (select auth.uid()));
create policy "notifications: owner marks read" on public.notifications
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy "notification_preferences: owner reads" on public.notification_preferences
  for select to authenticated using (user_id = (select auth.uid()));
create policy "notification_preferences: owner inserts" on public.notification_preferences
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "notification_preferences: owner updates" on public.notification_preferences
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "notification_category_preferences: owner reads" on public.notification_category_preferences
  for select to authenticated using (user_id = (select auth.uid()));
create policy "notification_category_preferences: owner inserts" on public.notification_category_preferences
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "notification_category_preferences: owner updates" on public.notification_category_preferences
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "notification_category_preferences: owner deletes" on public.notification_category_preferences
  for delete to authenticated using (user_id = (select auth.uid()));

create policy "notification_outbox: staff read" on public.notification_outbox
  for select to authenticated using ((select public.authorize('notifications.manage')));
create policy "notification_attempts: staff read" on public.notification_attempts
  for select to authenticated using ((select public.authorize('notifications.manage')));
create policy "notification_suppressions: staff read" on public.notification_suppressions
  for select to authenticated using ((select public.authorize('notifications.manage')));
create policy "notification_suppressions: staff delete" on public.notification_suppressions
  for delete to authenticated using ((select public.authorize('notifications.manage')));
create policy "broadcasts: senders read" on public.broadcasts
  for select to authenticated using ((select public.authorize('broadcasts.send')));

-- rendering ---------------------------------------------------------------------------------------------
/** Rials as grouped tomans; Persian digits and the Arabic thousands separator in fa. Same as lib/notifications/render.ts. */
create function notifications.format_toman(rials text, locale text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  n numeric;
  grouped text;
begin
  if rials !~ '^-?[0-9]+$' then return rials; end if;
  n := trunc(rials::numeric / 10);
  grouped := regexp_replace(abs(n)::text, '(\d)(?=(\d{3})+$)', '\1,', 'g');
  grouped := case when n < 0 then '-' else '' end || grouped;
  if locale = 'fa' then
    grouped := translate(grouped, '0123456789,-', '۰۱۲۳۴۵۶۷۸۹٬−');
  end if;
  return grouped;
end $$;
comment on function notifications.format_toman(text, text) is 'Rials → grouped tomans in the locale (used by {{x|toman}}).';

/** Fills {{var}} and {{var|toman}} from data; an unknown variable becomes ''. Same rules as lib/notifications/render.ts. */
create function notifications.render(template text, data jsonb, locale text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  out_text text := '';
  rest text := template;
  m text[];
  value text;
begin
  loop
    m := regexp_match(rest, '^(.*?)\{\{\s*([a-z_][a-z0-9_]*)\s*(\|\s*toman\s*)?\}\}(.*)$', 's');
    exit when m is null;
    value := coalesce(data ->> m[2], '');
    if m[3] is not null then value := notifications.format_toman(value, locale); end if;
    out_text := out_text || m[1] || value;
    rest := m[4];
  end loop;
  return out_text || rest;
end $$;
comment on function notifications.render(text, jsonb, text) is 'Template rendering in SQL (in-app rows are rendered when they are made).';

-- preferences, quiet hours ------------------------------------------------------------------------------
/**
 * When the quiet hours that contain `at` end (null when `at` is outside them). The window [start, end) is in
 * the local time of `tz`; start > end spans midnight (22:00–08:00).
 */
create function notifications.quiet_until(quiet_start time, quiet_end time, tz text, at timestamptz)
returns timestamptz
language plpgsql stable set search_path = '' as $$
declare
  local_ts timestamp := at at time zone tz;
  local_time time := local_ts::time;
  ends timestamp;
begin
  if quiet_start = quiet_end then return null; end if;
  if quiet_start < quiet_end then
    if local_time >= quiet_start and local_time < quiet_end then
      ends := local_ts::date + quiet_end;
    end if;
  elsif local_time >= quiet_start then
    ends := (local_ts::date + 1) + quiet_end;
  elsif local_time < quiet_end then
    ends := local_ts::date + quiet_end;
  end if;
  return case when ends is null then null else ends at time zone tz end;
end $$;
comment on function notifications.quiet_until(time, time, text, timestamptz) is
  'End of the quiet window containing `at` (local to tz; windows may span midnight), or null.';

/** Whether a channel is on for a user's category (defaults when no row). Phone-verified matters for SMS. */
create function notifications.channel_enabled(
  target uuid, category text, channel text, prefs public.notification_preferences, has_phone boolean
) returns boolean
language sql stable security definer set search_path = '' as $$
  select case channel_enabled.channel
      when 'in_app' then coalesce(prefs.in_app_enabled, true)
      when 'email' then coalesce(prefs.email_enabled, true)
      when 'sms' then coalesce(prefs.sms_enabled, true) and has_phone
      when 'whatsapp' then coalesce(prefs.whatsapp_enabled, true) and has_phone
      else false end
    and coalesce(
      (select c.enabled from public.notification_category_preferences c
       where c.user_id = target and c.category = channel_enabled.category and c.channel = channel_enabled.channel),
      case channel_enabled.channel
        when 'in_app' then true
        when 'email' then true
        when 'sms' then (select k.sms_default from public.notification_categories k where k.key = channel_enabled.category)
        else false end)
$$;
comment on function notifications.channel_enabled(uuid, text, text, public.notification_preferences, boolean) is
  'The effective preference for one user × category × channel.';

/** The E.164 form (+digits) of an auth phone (GoTrue stores it without +), or null. */
create function notifications.e164(phone text) returns text
language sql immutable set search_path = '' as $$
  select case when phone is null or btrim(phone) = '' then null
              when ltrim(btrim(phone), '+') ~ '^[1-9][0-9]{7,14}$' then '+' || ltrim(btrim(phone), '+')
              else null end
$$;
comment on function notifications.e164(text) is 'An auth.users.phone as E.164 (+989…), or null.';

-- emit --------------------------------------------------------------------------------------------------
/**
 * THE way domain events notify a user, inside the caller's transaction: writes the in-app row and one outbox
 * row per enabled channel (email, sms, whatsapp — WhatsApp for a +98 number goes by SMS), following the
 * preferences; critical events (category security) ignore preferences and quiet hours; non-critical messages
 * in quiet hours wait until they end; low-priority categories of a user with the digest on are held for the
 * daily digest. dedupe_key (optional) makes a repeat of the same event for the same user a no-op.
 * Returns the in-app notification id (null when in-app is off or the call was a repeat).
 */
create function notifications.deliver(event text, user_id uuid, data jsonb, dedupe_key text, only_channels text[],
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

  if not critical then
    if coalesce(prefs.quiet_hours_enabled, true) then
      due := coalesce(notifications.quiet_until(coalesce(prefs.quiet_start, '22:00'), coalesce(prefs.quiet_end, '08:00'),
        coalesce(prefs.time_zone, 'Asia/Tehran'), now()), now());
    end if;
    hold := cat.priority = 'low' and coalesce(prefs.digest_enabled, false);
  end if;

  -- in-app
  if (deliver.only_channels is null or 'in_app' = any (deliver.only_channels))
     and (critical or notifications.channel_enabled(deliver.user_id, ev.category, 'in_app', prefs, phone is not null)) then
    select * into tpl from public.notification_templates t
    where t.event = ev.key and t.channel = 'in_app' and t.locale = lang;
    if found then
      insert into public.notifications (user_id, category, event, title, body, link)
      values (deliver.user_id, ev.category, ev.key, notifications.render(tpl.subject, payload, lang),
              notifications.render(tpl.body, payload, lang),
              case when ev.link is not null then notifications.render(ev.link, payload, lang) end)
      returning id into in_app_id;
      perform pg_notify('notifications', json_build_object('id', in_app_id::text, 'user_id', deliver.user_id)::text);
    end if;
  end if;

  -- email
  if person.email is not null and person.email <> ''
     and (deliver.only_channels is null or 'email' = any (deliver.only_channels))
     and (critical or notifications.channel_enabled(deliver.user_id, ev.category, 'email', prefs, phone is not null))
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
      and (critical or notifications.channel_enabled(deliver.user_id, ev.category, 'sms', prefs, true));
    want_whatsapp := (deliver.only_channels is null or 'whatsapp' = any (deliver.only_channels)) and not critical
      and notifications.channel_enabled(deliver.user_id, ev.category, 'whatsapp', prefs, true);
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

/** THE way domain events notify a user, in the caller's transaction (see deliver). */
create function notifications.emit(event text, user_id uuid, data jsonb default '{}', dedupe_key text default null)
returns bigint
language sql security definer set search_path = '' as $$
  select notifications.deliver(emit.event, emit.user_id, emit.data, emit.dedupe_key, null, null)
$$;
comment on function notifications.emit(text, uuid, jsonb, text) is
  'Notify a user of an event in the caller''s transaction: the in-app row plus one outbox row per enabled channel (preferences, criticality, quiet hours, digest). Returns the in-app id.';

/**
 * An SMS with a text given by the caller (the Auth Send SMS hook's OTP), returning its outbox id. critical
 * bypasses quiet hours; the route is chosen by the dispatcher from the number (+98 → Kavenegar, then SMS.ir;
 * others → Twilio). A repeated dedupe_key returns the first row's id.
 */
create function notifications.enqueue_sms(phone text, body text, critical boolean default true,
                                          dedupe_key text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  number text := notifications.e164(enqueue_sms.phone);
  made bigint;
begin
  if number is null then
    raise exception 'invalid phone number' using errcode = 'NT002', detail = coalesce(enqueue_sms.phone, '');
  end if;
  if enqueue_sms.body is null or length(enqueue_sms.body) not between 1 and 1600 then
    raise exception 'invalid message body' using errcode = 'NT002';
  end if;
  if enqueue_sms.dedupe_key is not null then
    select o.id into made from public.notification_outbox o where o.dedupe_key = 'sms:' || enqueue_sms.dedupe_key;
    if found then return made; end if;
  end if;
  insert into public.notification_outbox (category, channel, recipient, event, locale, data, critical, dedupe_key,
                                          user_id)
  values (case when coalesce(enqueue_sms.critical, true) then 'security' else 'account' end, 'sms', number, 'raw.sms',
          'fa', jsonb_build_object('body', enqueue_sms.body), coalesce(enqueue_sms.critical, true),
          'sms:' || enqueue_sms.dedupe_key,
          (select u.id from auth.users u where u.phone = ltrim(number, '+') and u.deleted_at is null limit 1))
  on conflict on constraint notification_outbox_dedupe do nothing
  returning id into made;
  if made is null then
    select o.id into made from public.notification_outbox o where o.dedupe_key = 'sms:' || enqueue_sms.dedupe_key;
  end if;
  return made;
end $$;
comment on function notifications.enqueue_sms(text, text, boolean, text) is
  'Queue one SMS with the given text (Auth Send SMS hook); returns the outbox id. Routed by number at dispatch.';

/** An email with a subject and text given by the caller; returns its outbox id (dedupe like enqueue_sms). */
create function notifications.enqueue_email(address text, subject text, body text, critical boolean default false,
                                            dedupe_key text default null, locale text default 'fa')
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  made bigint;
  normalized text := lower(btrim(enqueue_email.address));
begin
  if normalized is null or normalized !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' or length(normalized) > 320 then
    raise exception 'invalid email address' using errcode = 'NT002', detail = coalesce(enqueue_email.address, '');
  end if;
  if enqueue_email.body is null or length(enqueue_email.body) not between 1 and 100000
     or length(coalesce(enqueue_email.subject, '')) not between 1 and 200 then
    raise exception 'invalid message' using errcode = 'NT002';
  end if;
  insert into public.notification_outbox (category, channel, recipient, event, locale, data, critical, dedupe_key,
                                          user_id)
  values (case when enqueue_email.critical then 'security' else 'account' end, 'email', normalized, 'raw.email',
          case when enqueue_email.locale = 'en' then 'en' else 'fa' end,
          jsonb_build_object('subject', enqueue_email.subject, 'body', enqueue_email.body),
          coalesce(enqueue_email.critical, false), 'email:' || enqueue_email.dedupe_key,
          (select u.id from auth.users u where lower(u.email) = normalized and u.deleted_at is null limit 1))
  on conflict on constraint notification_outbox_dedupe do nothing
  returning id into made;
  if made is null then
    select o.id into made from public.notification_outbox o where o.dedupe_key = 'email:' || enqueue_email.dedupe_key;
  end if;
  return made;
end $$;
comment on function notifications.enqueue_email(text, text, text, boolean, text, text) is
  'Queue one email with the given subject and text; returns the outbox id.';

revoke execute on all functions in schema notifications from public, anon, authenticated;
grant execute on function notifications.emit(text, uuid, jsonb, text), notifications.enqueue_sms(text, text, boolean, text),
  notifications.enqueue_email(text, text, text, boolean, text, text) to service_role;
grant execute on function notifications.enqueue_sms(text, text, boolean, text) to supabase_auth_admin;
grant usage on schema notifications to supabase_auth_admin;
grant execute on function notifications.render(text, jsonb, text), notifications.format_toman(text, text),
  notifications.quiet_until(time, time, text, timestamptz) to authenticated, service_role;
