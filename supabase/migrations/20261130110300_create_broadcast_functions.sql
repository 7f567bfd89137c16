-- Purpose: broadcasts' SQL API. A segment is jsonb:
--            {"kind":"all"} | {"kind":"role","role":"agent"} | {"kind":"balance_at_least","amount":<rials>}
--            | {"kind":"inactive_days","days":N} | {"kind":"department_customers","department_id":N}.
--          notifications.save_broadcast (create / edit a draft), broadcast_recipients_count(segment),
--          start_broadcast(id) (expands the segment into in-app rows and outbox rows through
--          notifications.deliver, so preferences apply: broadcasts are the category `broadcasts`; a paused
--          broadcast resumes), pause_broadcast, cancel_broadcast (queued rows become cancelled),
--          broadcast_progress(id). The dispatcher sends a broadcast's rows at most rate_per_minute per channel
--          and never while it is paused.
-- Access: every function checks public.authorize('broadcasts.send') (NT003 otherwise). Risk: low.

/** The users a segment names (not deleted, not banned). NT007 on an unknown or malformed segment. */
create function notifications.segment_users(segment jsonb) returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  kind text := segment ->> 'kind';
begin
  if kind = 'all' then
    return query select u.id from auth.users u
      where u.deleted_at is null and (u.banned_until is null or u.banned_until <= now());
  elsif kind = 'role' and (segment ->> 'role') in (select unnest(enum_range(null::public.app_role))::text) then
    return query select distinct r.user_id from public.user_roles r join auth.users u on u.id = r.user_id
      where r.role = (segment ->> 'role')::public.app_role and u.deleted_at is null
        and (u.banned_until is null or u.banned_until <= now());
  elsif kind = 'balance_at_least' and (segment ->> 'amount') ~ '^[0-9]{1,18}$' then
    return query select b.user_id from ledger.wallet_balances b join auth.users u on u.id = b.user_id
      where b.balance >= (segment ->> 'amount')::bigint and u.deleted_at is null
        and (u.banned_until is null or u.banned_until <= now());
  elsif kind = 'inactive_days' and (segment ->> 'days') ~ '^[0-9]{1,5}$' then
    return query select u.id from auth.users u
      where u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())
        and coalesce(u.last_sign_in_at, u.created_at, '-infinity') < now() - make_interval(days => (segment ->> 'days')::int);
  elsif kind = 'department_customers' and (segment ->> 'department_id') ~ '^[0-9]{1,5}$' then
    return query select distinct t.customer_id from public.tickets t join auth.users u on u.id = t.customer_id
      where t.department_id = (segment ->> 'department_id')::smallint and u.deleted_at is null
        and (u.banned_until is null or u.banned_until <= now());
  else
    raise exception 'invalid segment' using errcode = 'NT007', detail = coalesce(segment::text, 'null');
  end if;
end $$;
comment on function notifications.segment_users(jsonb) is 'The user ids a broadcast segment names (internal).';

create function notifications.require_broadcaster() returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if not public.authorize('broadcasts.send') then
    raise exception 'not permitted' using errcode = 'NT003';
  end if;
end $$;
comment on function notifications.require_broadcaster() is 'Raises NT003 unless the caller holds broadcasts.send.';

/** How many users a segment reaches now (the compose page shows it before sending). */
create function notifications.broadcast_recipients_count(segment jsonb) returns bigint
language plpgsql stable security definer set search_path = '' as $$
begin
  perform notifications.require_broadcaster();
  return (select count(*) from notifications.segment_users(broadcast_recipients_count.segment));
end $$;
comment on function notifications.broadcast_recipients_count(jsonb) is 'Recipient count of a segment (broadcasts.send).';

/** Create (id null) or edit a draft broadcast; returns its id. */
create function notifications.save_broadcast(
  id bigint, title text, segment jsonb, channels text[], subject jsonb, body jsonb, rate_per_minute integer default 6000
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  saved bigint;
begin
  perform notifications.require_broadcaster();
  perform count(*) from notifications.segment_users(save_broadcast.segment); -- validates the segment (NT007)
  if coalesce(length(btrim(save_broadcast.body ->> 'fa')), 0) = 0 or coalesce(length(btrim(save_broadcast.body ->> 'en')), 0) = 0
     or coalesce(length(btrim(save_broadcast.title)), 0) = 0 or coalesce(cardinality(save_broadcast.channels), 0) = 0
     or not save_broadcast.channels <@ array['in_app', 'email', 'sms', 'whatsapp'] then
    raise exception 'invalid broadcast' using errcode = 'NT002';
  end if;
  if save_broadcast.id is null then
    insert into public.broadcasts (title, segment, channels, subject, body, rate_per_minute, created_by)
    values (btrim(save_broadcast.title), save_broadcast.segment, save_broadcast.channels,
            coalesce(save_broadcast.subject, '{}'), save_broadcast.body, coalesce(save_broadcast.rate_per_minute, 6000),
            auth.uid())
    returning broadcasts.id into saved;
  else
    update public.broadcasts b set title = btrim(save_broadcast.title), segment = save_broadcast.segment,
      channels = save_broadcast.channels, subject = coalesce(save_broadcast.subject, '{}'), body = save_broadcast.body,
      rate_per_minute = coalesce(save_broadcast.rate_per_minute, b.rate_per_minute), updated_at = now()
    where b.id = save_broadcast.id and b.status = 'draft'
    returning b.id into saved;
    if saved is null then
      if exists (select 1 from public.broadcasts b where b.id = save_broadcast.id) then
        raise exception 'only a draft can be edited' using errcode = 'NT005';
      end if;
      raise exception 'no such broadcast' using errcode = 'NT004';
    end if;
  end if;
  return saved;
end $$;
comment on function notifications.save_broadcast(bigint, text, jsonb, text[], jsonb, jsonb, integer) is
  'Create or edit a draft broadcast (broadcasts.send).';

/** Mark a sending broadcast done once none of its rows waits. Called by start_broadcast and the dispatcher. */
create function notifications.finish_broadcasts() returns integer
language sql security definer set search_path = '' as $$
  with done as (
    update public.broadcasts b set status = 'done', finished_at = now(), updated_at = now()
    where b.status = 'sending' and not exists (
      select 1 from public.notification_outbox o
      where o.broadcast_id = b.id and o.status in ('queued', 'sending', 'held'))
    returning 1)
  select count(*)::integer from done
$$;
comment on function notifications.finish_broadcasts() is 'Sending broadcasts with nothing left to send become done.';

/** Start (draft → sending: expand the segment now) or resume (paused → sending). */
create function notifications.start_broadcast(id bigint) returns public.broadcasts
language plpgsql security definer set search_path = '' as $$
declare
  b public.broadcasts;
  made integer := 0;
  person uuid;
begin
  perform notifications.require_broadcaster();
  select * into b from public.broadcasts x where x.id = start_broadcast.id for update;
  if not found then raise exception 'no such broadcast' using errcode = 'NT004'; end if;
  if b.status = 'paused' then
    update public.broadcasts x set status = 'sending', updated_at = now() where x.id = b.id returning * into b;
    return b;
  elsif b.status <> 'draft' then
    raise exception 'broadcast cannot start' using errcode = 'NT005', detail = b.status;
  end if;
  update public.broadcasts x set status = 'sending', started_at = now(), updated_at = now() where x.id = b.id;
  for person in select notifications.segment_users(b.segment) loop
    perform notifications.deliver('broadcast.message', person,
      jsonb_build_object('by_locale', jsonb_build_object(
        'fa', jsonb_build_object('subject', coalesce(b.subject ->> 'fa', b.title), 'body', b.body ->> 'fa'),
        'en', jsonb_build_object('subject', coalesce(b.subject ->> 'en', b.title), 'body', b.body ->> 'en'))),
      'broadcast:' || b.id, b.channels, b.id);
    made := made + 1;
  end loop;
  update public.broadcasts x set recipients = made where x.id = b.id;
  perform notifications.finish_broadcasts();
  select * into b from public.broadcasts x where x.id = start_broadcast.id;
  return b;
end $$;
comment on function notifications.start_broadcast(bigint) is 'Start or resume a broadcast (broadcasts.send).';

create function notifications.pause_broadcast(id bigint) returns public.broadcasts
language plpgsql security definer set search_path = '' as $$
declare
  b public.broadcasts;
begin
  perform notifications.require_broadcaster();
  update public.broadcasts x set status = 'paused', updated_at = now()
  where x.id = pause_broadcast.id and x.status = 'sending' returning * into b;
  if b.id is null then
    if exists (select 1 from public.broadcasts x where x.id = pause_broadcast.id) then
      raise exception 'only a sending broadcast can be paused' using errcode = 'NT005';
    end if;
    raise exception 'no such broadcast' using errcode = 'NT004';
  end if;
  return b;
end $$;
comment on function notifications.pause_broadcast(bigint) is 'Pause a sending broadcast (broadcasts.send).';

create function notifications.cancel_broadcast(id bigint) returns public.broadcasts
language plpgsql security definer set search_path = '' as $$
declare
  b public.broadcasts;
begin
  perform notifications.require_broadcaster();
  update public.broadcasts x set status = 'cancelled', finished_at = now(), updated_at = now()
  where x.id = cancel_broadcast.id and x.status in ('draft', 'sending', 'paused') returning * into b;
  if b.id is null then
    if exists (select 1 from public.broadcasts x where x.id = cancel_broadcast.id) then
      raise exception 'broadcast already finished' using errcode = 'NT005';
    end if;
    raise exception 'no such broadcast' using errcode = 'NT004';
  end if;
  update public.notification_outbox o set status = 'cancelled', updated_at = now()
  where o.broadcast_id = b.id and o.status in ('queued', 'held');
  return b;
end $$;
comment on function notifications.cancel_broadcast(bigint) is 'Cancel a broadcast; its unsent rows become cancelled (broadcasts.send).';

/** A broadcast's progress: recipients and its outbox rows by outcome. */
create function notifications.broadcast_progress(id bigint,
  out recipients integer, out total bigint, out sent bigint, out failed bigint, out remaining bigint,
  out cancelled bigint)
language plpgsql stable security definer set search_path = '' as $$
begin
  perform notifications.require_broadcaster();
  select b.recipients into recipients from public.broadcasts b where b.id = broadcast_progress.id;
  if not found then raise exception 'no such broadcast' using errcode = 'NT004'; end if;
  select count(*),
         count(*) filter (where o.status in ('sent', 'delivered')),
         count(*) filter (where o.status in ('failed', 'bounced', 'dead')),
         count(*) filter (where o.status in ('queued', 'sending', 'held')),
         count(*) filter (where o.status in ('cancelled', 'digested'))
    into total, sent, failed, remaining, cancelled
  from public.notification_outbox o where o.broadcast_id = broadcast_progress.id;
end $$;
comment on function notifications.broadcast_progress(bigint) is 'Progress of a broadcast (broadcasts.send).';

revoke execute on function notifications.segment_users(jsonb), notifications.require_broadcaster(),
  notifications.broadcast_recipients_count(jsonb), notifications.save_broadcast(bigint, text, jsonb, text[], jsonb, jsonb, integer),
  notifications.finish_broadcasts(), notifications.start_broadcast(bigint), notifications.pause_broadcast(bigint),
  notifications.cancel_broadcast(bigint), notifications.broadcast_progress(bigint)
  from public, anon, authenticated;
grant execute on function notifications.broadcast_recipients_count(jsonb),
  notifications.save_broadcast(bigint, text, jsonb, text[], jsonb, jsonb, integer), notifications.start_broadcast(bigint),
  notifications.pause_broadcast(bigint), notifications.cancel_broadcast(bigint), notifications.broadcast_progress(bigint)
  to authenticated, service_role;
grant execute on function notifications.finish_broadcasts() to service_role;
