-- Purpose: the dispatcher's side of the outbox (functions/notifications-dispatch calls these as service_role):
--          - notifications.claim(batch, lease_seconds, worker): due rows (queued and due, or `sending` whose lease
--            ran out: a crashed dispatcher's rows) with FOR UPDATE SKIP LOCKED, so two dispatchers never take
--            the same row; each claim counts an attempt. A broadcast's rows are taken only while it is
--            `sending`, and at most rate_per_minute per channel in any minute.
--          - notifications.complete(worker, results jsonb): records a batch of outcomes in one call (sent,
--            retry at a time the dispatcher computed with backoff and jitter, permanent → dead); after
--            max_attempts a retry is dead. Only the claim that is still current (same worker, same attempt,
--            status sending) may complete a row. Every outcome is a row in notification_attempts; the circuit
--            breakers (notifications.circuits, shared by all dispatchers) count consecutive failures per
--            provider and open for cooldown_seconds after `threshold` of them.
--          - notifications.record_status(provider, provider_message_id, status, error): the webhooks' update
--            (delivered / failed / bounced); a hard bounce suppresses the address and tells the user in-app.
--          - notifications.requeue(id) / cancel(id): staff (`notifications.manage`) re-queue a dead or failed
--            message, or cancel a waiting one.
--          - notifications.build_digests(): the daily digest (held low-priority rows → one email per user).
--          - notifications.request_dispatch(): POST to the notifications-dispatch Edge Function through
--            private.invoke_edge_function (net.http_post with the Vault secrets project_url and service_key;
--            payments.request_reconcile now uses the same helper instead of its own copy), called every
--            minute by pg_cron and, debounced to one request a second, by a statement trigger on outbox
--            inserts.
-- Access: claim, complete, record_status, circuit_states are service_role only; requeue / cancel check
--         notifications.manage; the cron functions are executable by nobody but the owner.
-- Risk: medium (new work queue). The insert trigger takes a row lock with SKIP LOCKED, so inserting
--       transactions never wait for each other.

alter table public.notification_outbox add column claimed_at timestamptz;
comment on column public.notification_outbox.claimed_at is 'When the current (or last) claim was taken; broadcast throttling counts these.';
create index notification_outbox_broadcast_claimed_idx on public.notification_outbox (broadcast_id, channel, claimed_at)
  where broadcast_id is not null;

create table notifications.circuits (
  provider text primary key,
  failures integer not null default 0,
  opened_until timestamptz,
  threshold integer not null default 5 check (threshold >= 1),
  cooldown_seconds integer not null default 30 check (cooldown_seconds >= 1),
  updated_at timestamptz not null default now()
);
comment on table notifications.circuits is
  'One circuit breaker per provider, shared by every dispatcher: `threshold` consecutive failures open it until opened_until; after that one more failure opens it again (half-open), a success closes it.';
insert into notifications.circuits (provider) values ('resend'), ('smtp'), ('kavenegar'), ('smsir'), ('twilio');
alter table notifications.circuits enable row level security;

create table notifications.dispatch_state (
  id integer primary key check (id = 1),
  requested_at timestamptz not null default '-infinity'
);
comment on table notifications.dispatch_state is 'When the insert trigger last asked for a dispatch (debounce, one request a second).';
insert into notifications.dispatch_state (id) values (1);
alter table notifications.dispatch_state enable row level security;

create table notifications.early_reports (
  provider text not null,
  provider_message_id text not null,
  status text not null,
  error text,
  received_at timestamptz not null default now(),
  primary key (provider, provider_message_id)
);
comment on table notifications.early_reports is
  'Delivery reports that arrived before the dispatcher recorded the provider''s message id (providers call back within milliseconds); notifications.complete applies them.';
alter table notifications.early_reports enable row level security;

create table notifications.ledger_events (
  transaction_id bigint not null,
  account_id bigint not null,
  amount bigint not null
);
comment on table notifications.ledger_events is
  'Positive ledger legs written by the posting''s own statement trigger (one insert); notifications.expand_ledger_events turns the transfers among them into transfer.received notifications.';
alter table notifications.ledger_events enable row level security;

-- claiming -----------------------------------------------------------------------------------------------
create function notifications.claim(batch integer default 200, lease_seconds integer default 60, worker text default null,
                                    only_ids bigint[] default null)
returns setof public.notification_outbox
language plpgsql security definer set search_path = '' as $$
declare
  room integer := greatest(least(coalesce(claim.batch, 200), 2000), 1);
  picked bigint[];
  more bigint[];
  lane record;
begin
  -- ordinary messages (critical first); a row is due when queued and due, or its claim's lease ran out
  select coalesce(array_agg(d.id), '{}') into picked from (
    select o.id from public.notification_outbox o
    where o.broadcast_id is null
      and ((o.status = 'queued' and o.next_attempt_at <= now()) or (o.status = 'sending' and o.claimed_until < now()))
      and (claim.only_ids is null or o.id = any (claim.only_ids))
    order by o.critical desc, o.next_attempt_at
    limit room
    for update skip locked) d;
  -- broadcasts: per channel, at most rate_per_minute claims in the last minute
  for lane in
    select b.id, c.channel, b.rate_per_minute - (
      select count(*) from public.notification_outbox o
      where o.broadcast_id = b.id and o.channel = c.channel and o.claimed_at > now() - interval '1 minute') as budget
    from public.broadcasts b cross join unnest(b.channels) as c (channel)
    where b.status = 'sending' and c.channel <> 'in_app'
  loop
    exit when cardinality(picked) >= room;
    continue when lane.budget <= 0;
    select coalesce(array_agg(d.id), '{}') into more from (
      select o.id from public.notification_outbox o
      where o.broadcast_id = lane.id and o.channel = lane.channel
        and ((o.status = 'queued' and o.next_attempt_at <= now()) or (o.status = 'sending' and o.claimed_until < now()))
        and (claim.only_ids is null or o.id = any (claim.only_ids))
      order by o.next_attempt_at
      limit least(room - cardinality(picked), lane.budget)
      for update skip locked) d;
    picked := picked || more;
  end loop;
  return query
  update public.notification_outbox o
  set status = 'sending', attempts = o.attempts + 1, claimed_at = now(),
      claimed_until = now() + make_interval(secs => greatest(coalesce(claim.lease_seconds, 60), 1)),
      claimed_by = claim.worker, updated_at = now()
  where o.id = any (picked)
  returning o.*;
end $$;
comment on function notifications.claim(integer, integer, text, bigint[]) is
  'Claims due outbox rows (FOR UPDATE SKIP LOCKED) with a lease; expired leases are reclaimed; broadcasts throttled per channel. only_ids narrows the claim to those rows (a "send these now", and tests that share a database).';

/** Seconds until the next row falls due (null when nothing waits); the dispatcher sleeps this long. */
create function notifications.next_due_in() returns double precision
language sql stable security definer set search_path = '' as $$
  select greatest(extract(epoch from min(case when o.status = 'queued' then o.next_attempt_at else o.claimed_until end) - now()), 0)
  from public.notification_outbox o
  where o.status in ('queued', 'sending')
    and (o.broadcast_id is null or exists (select 1 from public.broadcasts b where b.id = o.broadcast_id and b.status = 'sending'))
$$;
comment on function notifications.next_due_in() is 'Seconds until the next outbox row is due (0 = now, null = none).';

-- completing ---------------------------------------------------------------------------------------------
/**
 * results: [{id, attempt, provider, outcome: sent|retry|permanent, provider_message_id?, error?, duration_ms?,
 * retry_in_ms?}], one per row; failovers: [{id, attempt, provider, error, duration_ms}] (providers that failed
 * before the final one within the same attempt); circuits: [{provider, successes, trailing_failures}].
 * Returns how many rows were updated (stale claims are ignored).
 */
create function notifications.complete(worker text, results jsonb, failovers jsonb default '[]',
                                       circuits jsonb default '[]') returns integer
language plpgsql security definer set search_path = '' as $$
declare
  changed integer;
  p record;
begin
  with r as (
    select * from jsonb_to_recordset(complete.results) as x (
      id bigint, attempt integer, provider text, outcome text, provider_message_id text, error text,
      duration_ms integer, retry_in_ms integer)
  ), updated as (
    update public.notification_outbox o set
      status = case
        when r.outcome = 'sent' then 'sent'
        when r.outcome = 'permanent' or o.attempts >= o.max_attempts then 'dead'
        else 'queued' end,
      provider = r.provider,
      provider_message_id = coalesce(r.provider_message_id, o.provider_message_id),
      last_error = case when r.outcome = 'sent' then o.last_error else left(r.error, 1000) end,
      sent_at = case when r.outcome = 'sent' then now() else o.sent_at end,
      next_attempt_at = case when r.outcome = 'retry'
        then now() + make_interval(secs => greatest(coalesce(r.retry_in_ms, 10000), 0) / 1000.0) else o.next_attempt_at end,
      claimed_until = null, updated_at = now()
    from r
    where o.id = r.id and o.status = 'sending' and o.claimed_by is not distinct from complete.worker
      and o.attempts = r.attempt
    returning o.id, r.attempt, r.provider, r.outcome, r.error, r.duration_ms
  ), logged as (
    insert into public.notification_attempts (outbox_id, attempt, provider, outcome, error, duration_ms)
    select u.id, u.attempt, u.provider, u.outcome, left(u.error, 1000), u.duration_ms from updated u
    returning 1
  )
  select count(*) into changed from logged;

  -- failover tries that failed before the final provider of an attempt (history only)
  insert into public.notification_attempts (outbox_id, attempt, provider, outcome, error, duration_ms)
  select f.id, f.attempt, f.provider, 'retry', left(f.error, 1000), f.duration_ms
  from jsonb_to_recordset(coalesce(complete.failovers, '[]')) as f (id bigint, attempt integer, provider text,
                                                                   error text, duration_ms integer)
  where exists (select 1 from public.notification_attempts a where a.outbox_id = f.id and a.attempt = f.attempt);

  -- circuit breakers: the dispatcher counted, per provider and in order, its successes and the failures after
  -- the last success (permanent errors are the recipient's fault and count as neither)
  for p in
    select * from jsonb_to_recordset(coalesce(complete.circuits, '[]')) as c (provider text, successes integer,
                                                                             trailing_failures integer)
  loop
    insert into notifications.circuits (provider) values (p.provider) on conflict do nothing;
    update notifications.circuits c set
      failures = case when p.successes > 0 then p.trailing_failures else c.failures + p.trailing_failures end,
      opened_until = case when p.successes > 0 and p.trailing_failures = 0 then null else c.opened_until end,
      updated_at = now()
    where c.provider = p.provider;
    update notifications.circuits c set
      opened_until = now() + make_interval(secs => c.cooldown_seconds),
      failures = c.threshold - 1
    where c.provider = p.provider and c.failures >= c.threshold
      and (c.opened_until is null or c.opened_until <= now());
  end loop;
  -- reports that arrived before this batch was recorded
  for p in
    select e.provider, e.provider_message_id, e.status, e.error
    from jsonb_to_recordset(complete.results) as r (provider text, provider_message_id text, outcome text)
    join notifications.early_reports e on e.provider = r.provider and e.provider_message_id = r.provider_message_id
    where r.outcome = 'sent'
  loop
    delete from notifications.early_reports e where e.provider = p.provider and e.provider_message_id = p.provider_message_id;
    perform notifications.record_status(p.provider, p.provider_message_id, p.status, p.error);
  end loop;
  perform notifications.finish_broadcasts();
  return changed;
end $$;
comment on function notifications.complete(text, jsonb, jsonb, jsonb) is
  'Records a batch of send outcomes (sent / retry / permanent) for rows the worker still holds; updates the circuit breakers.';

create function notifications.circuit_states()
returns table (provider text, open boolean, opened_until timestamptz, failures integer)
language sql stable security definer set search_path = '' as $$
  select c.provider, coalesce(c.opened_until > now(), false), c.opened_until, c.failures from notifications.circuits c
$$;
comment on function notifications.circuit_states() is 'Each provider''s circuit: open (skip it until opened_until) or closed.';

-- status callbacks ---------------------------------------------------------------------------------------
/**
 * A provider's delivery report: `delivered`, `failed` (undelivered) or `bounced` (hard bounce). Returns the
 * outbox id it applied to, or null (unknown message, or already final: delivered wins over a late failure).
 */
create function notifications.record_status(provider text, provider_message_id text, status text, error text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  hit public.notification_outbox;
begin
  if record_status.status not in ('delivered', 'failed', 'bounced') then
    raise exception 'unknown delivery status' using errcode = 'NT002', detail = coalesce(record_status.status, '');
  end if;
  update public.notification_outbox o set
    status = record_status.status,
    delivered_at = case when record_status.status = 'delivered' then now() else o.delivered_at end,
    last_error = case when record_status.status = 'delivered' then o.last_error else left(record_status.error, 1000) end,
    updated_at = now()
  where o.provider = record_status.provider and o.provider_message_id = record_status.provider_message_id
    and o.status in ('sent', 'sending', 'queued', 'failed')
    and not (o.status = 'failed' and record_status.status = 'failed')
  returning o.* into hit;
  if hit.id is null then
    -- No message has this id yet (the dispatcher has not recorded it): keep the report for complete() and
    -- apply_early_reports(). A report for a message that is already final changes nothing.
    if not exists (select 1 from public.notification_outbox o
                   where o.provider = record_status.provider and o.provider_message_id = record_status.provider_message_id) then
      insert into notifications.early_reports (provider, provider_message_id, status, error)
      values (record_status.provider, record_status.provider_message_id, record_status.status, record_status.error)
      on conflict on constraint early_reports_pkey do update set status = excluded.status, error = excluded.error;
    end if;
    return null;
  end if;
  insert into public.notification_attempts (outbox_id, attempt, provider, outcome, error)
  values (hit.id, hit.attempts, record_status.provider, 'callback',
          record_status.status || coalesce(': ' || record_status.error, ''));
  if record_status.status = 'bounced' and hit.channel = 'email' then
    insert into public.notification_suppressions (channel, address, reason)
    values ('email', hit.recipient, left(coalesce(record_status.error, 'hard bounce'), 500))
    on conflict do nothing;
    if hit.user_id is not null then
      perform notifications.deliver('account.email_bounced', hit.user_id, jsonb_build_object('email', hit.recipient),
        'bounce:' || hit.recipient, array['in_app'], null);
    end if;
  end if;
  return hit.id;
end $$;
comment on function notifications.record_status(text, text, text, text) is
  'Applies a provider delivery report (delivered / failed / bounced); a hard bounce suppresses the address and tells the user in-app.';

/** Applies kept early reports whose message is now recorded (closes the race with complete()); returns how many. */
create function notifications.apply_early_reports() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  e record;
  applied integer := 0;
begin
  for e in
    delete from notifications.early_reports r
    where exists (select 1 from public.notification_outbox o
                  where o.provider = r.provider and o.provider_message_id = r.provider_message_id)
    returning r.provider, r.provider_message_id, r.status, r.error
  loop
    perform notifications.record_status(e.provider, e.provider_message_id, e.status, e.error);
    applied := applied + 1;
  end loop;
  return applied;
end $$;
comment on function notifications.apply_early_reports() is 'Applies delivery reports that arrived before their message was recorded.';

-- staff --------------------------------------------------------------------------------------------------
/** A staff move of one message (notifications.manage): to `target` from one of `allowed`, else NT005. */
create function notifications.staff_move(id bigint, target text, allowed text[]) returns public.notification_outbox
language plpgsql security definer set search_path = '' as $$
declare
  hit public.notification_outbox;
begin
  if not public.authorize('notifications.manage') then
    raise exception 'not permitted' using errcode = 'NT003';
  end if;
  update public.notification_outbox o set status = staff_move.target, claimed_until = null, updated_at = now(),
    attempts = case when staff_move.target = 'queued' then 0 else o.attempts end,
    next_attempt_at = case when staff_move.target = 'queued' then now() else o.next_attempt_at end,
    last_error = case when staff_move.target = 'queued' then null else o.last_error end
  where o.id = staff_move.id and o.status = any (staff_move.allowed)
  returning o.* into hit;
  if hit.id is null then
    raise exception 'the message is not in a state that allows this' using errcode = 'NT005',
      detail = format('allowed from: %s', array_to_string(staff_move.allowed, ', '));
  end if;
  return hit;
end $$;
comment on function notifications.staff_move(bigint, text, text[]) is 'requeue / cancel: permission check and one guarded update.';

create function notifications.requeue(id bigint) returns public.notification_outbox
language sql security definer set search_path = '' as $$
  select notifications.staff_move(requeue.id, 'queued', array['dead', 'failed', 'bounced', 'cancelled'])
$$;
comment on function notifications.requeue(bigint) is 'Staff (notifications.manage): send a dead / failed / bounced / cancelled message again.';

create function notifications.cancel(id bigint) returns public.notification_outbox
language sql security definer set search_path = '' as $$
  select notifications.staff_move(cancel.id, 'cancelled', array['queued', 'held'])
$$;
comment on function notifications.cancel(bigint) is 'Staff (notifications.manage): cancel a queued or held message.';

-- digest -------------------------------------------------------------------------------------------------
/** Folds each user's held rows into one digest email (held → digested). Returns how many digests were made. */
create function notifications.build_digests() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  made integer := 0;
  person record;
begin
  for person in
    with held as (
      update public.notification_outbox o set status = 'digested', updated_at = now()
      where o.status = 'held'
      returning o.user_id, o.channel, o.recipient, o.event, o.locale, o.data, o.id)
    select h.user_id, h.locale, min(h.recipient) filter (where h.channel = 'email') as email,
           count(*) filter (where h.channel = 'email') as n,
           string_agg('• ' || notifications.render(coalesce(t.subject, h.event), h.data, h.locale), E'\n' order by h.id)
             filter (where h.channel = 'email') as items
    from held h
    left join public.notification_templates t on t.event = h.event and t.channel = 'in_app' and t.locale = h.locale
    where h.user_id is not null
    group by h.user_id, h.locale
  loop
    continue when person.email is null or person.n = 0;
    insert into public.notification_outbox (category, channel, recipient, user_id, event, locale, data, dedupe_key)
    values ('broadcasts', 'email', person.email, person.user_id, 'digest.daily', person.locale,
            jsonb_build_object('count', person.n, 'items', person.items),
            'digest:' || person.user_id || ':' || (now() at time zone 'Asia/Tehran')::date)
    on conflict on constraint notification_outbox_dedupe do nothing;
    made := made + 1;
  end loop;
  delete from notifications.dedupe d where d.created_at < now() - interval '30 days';
  delete from notifications.early_reports e where e.received_at < now() - interval '1 day';
  return made;
end $$;
comment on function notifications.build_digests() is 'Daily: held low-priority rows become one digest email per user.';

-- driving the dispatcher -----------------------------------------------------------------------------------
/**
 * POST to an Edge Function of this project through net.http_post, with the Vault secrets `project_url` and
 * `service_key` (ops set them once; the local stack writes them). Null, with a notice, without them.
 */
create function private.invoke_edge_function(name text, timeout_milliseconds integer default 55000) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  base_url text;
  secret text;
begin
  select decrypted_secret into base_url from vault.decrypted_secrets where vault.decrypted_secrets.name = 'project_url';
  select decrypted_secret into secret from vault.decrypted_secrets where vault.decrypted_secrets.name = 'service_key';
  if base_url is null or secret is null then
    raise notice '% skipped: set the vault secrets project_url and service_key', invoke_edge_function.name;
    return null;
  end if;
  return net.http_post(
    url := rtrim(base_url, '/') || '/functions/v1/' || invoke_edge_function.name,
    body := jsonb_build_object('time', now()),
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || secret),
    timeout_milliseconds := invoke_edge_function.timeout_milliseconds
  );
end $$;
comment on function private.invoke_edge_function(text, integer) is
  'Queues a POST to /functions/v1/<name> with the service key from Vault; returns the pg_net request id (null without secrets).';
revoke execute on function private.invoke_edge_function(text, integer) from public, anon, authenticated, service_role;

-- payments-reconcile uses the same helper (its body was this one's first copy).
create or replace function payments.request_reconcile() returns bigint
language sql security definer set search_path = '' as $$
  select private.invoke_edge_function('payments-reconcile', 55000)
$$;

create function notifications.request_dispatch() returns bigint
language sql security definer set search_path = '' as $$
  select private.invoke_edge_function('notifications-dispatch', 60000)
$$;
comment on function notifications.request_dispatch() is
  'Queues a POST to the notifications-dispatch Edge Function (Vault secrets project_url, service_key); null without them.';

/** Statement trigger on outbox inserts: at most one dispatch request a second, without making inserts wait. */
create function notifications.dispatch_soon() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform 1 from notifications.dispatch_state s
  where s.id = 1 and s.requested_at < now() - interval '1 second'
  for update skip locked;
  if found then
    update notifications.dispatch_state s set requested_at = now() where s.id = 1;
    perform notifications.request_dispatch();
  end if;
  return null;
end $$;
comment on function notifications.dispatch_soon() is 'Asks for a dispatch right after new outbox rows (debounced to one request a second).';
create trigger notification_outbox_dispatch_soon after insert on public.notification_outbox
  for each statement execute function notifications.dispatch_soon();

revoke execute on function notifications.apply_early_reports() from public, anon, authenticated;
grant execute on function notifications.apply_early_reports() to service_role;
revoke execute on function notifications.staff_move(bigint, text, text[]) from public, anon, authenticated, service_role;
revoke execute on function notifications.claim(integer, integer, text, bigint[]), notifications.next_due_in(),
  notifications.complete(text, jsonb, jsonb, jsonb), notifications.circuit_states(), notifications.record_status(text, text, text, text),
  notifications.requeue(bigint), notifications.cancel(bigint), notifications.build_digests(),
  notifications.request_dispatch(), notifications.dispatch_soon()
  from public, anon, authenticated, service_role;
grant execute on function notifications.claim(integer, integer, text, bigint[]), notifications.next_due_in(),
  notifications.complete(text, jsonb, jsonb, jsonb), notifications.circuit_states(), notifications.record_status(text, text, text, text)
  to service_role;
grant execute on function notifications.requeue(bigint), notifications.cancel(bigint) to authenticated, service_role;

select cron.schedule('notifications-dispatch', '* * * * *', 'select notifications.request_dispatch()');
select cron.schedule('notifications-digest', '30 4 * * *', 'select notifications.build_digests()');
