-- Purpose: delivery-status polling for the SMS providers that may not push (issue 15): Kavenegar's push is a
--          per-line panel setting and SMS.ir's is optional, and a push can be lost. An SMS that a provider
--          accepted (`sent`) but that has no final status after a while is asked about:
--          - notifications.claim_polls(batch, min_age_seconds, max_age_seconds, only_ids): due messages (sent by
--            kavenegar / smsir at least min_age_seconds ago, inside the providers' status window, not polled
--            since their next_poll_at), with FOR NO KEY UPDATE SKIP LOCKED; each claim moves next_poll_at on
--            (2, 4, 8, … minutes, at most an hour), which is the poller's lease as well;
--          - notifications.apply_polls(results): the answers; a final one (delivered / failed) goes through
--            notifications.record_status, exactly as the webhooks do, so a late push changes nothing and a
--            poll after a push changes nothing; an unknown or expired id (Kavenegar status 100) stops polling;
--          - notifications.request_poll(): pg_cron, every minute (a minute schedule: pg_cron 1.4 and 1.6),
--            POSTs to the notifications-poll Edge Function when something is due.
-- Access: claim_polls / apply_polls are service_role only; request_poll is for cron (nobody else).
-- Risk: low. One partial index on the outbox (rows waiting for a report from the two Iranian providers).

create table notifications.delivery_polls (
  outbox_id bigint primary key references public.notification_outbox (id) on delete cascade,
  polls integer not null default 0,
  next_poll_at timestamptz not null,
  last_polled_at timestamptz,
  last_answer text
);
comment on table notifications.delivery_polls is
  'Status polls per message (notifications-poll): how many, when the next is due (infinity: final or given up), the provider''s last answer.';
alter table notifications.delivery_polls enable row level security;

create index notification_outbox_awaiting_report_idx on public.notification_outbox (sent_at)
  where status = 'sent' and provider in ('kavenegar', 'smsir');

create function notifications.claim_polls(
  batch integer default 500,
  min_age_seconds integer default 120,
  max_age_seconds integer default 172800,
  only_ids bigint[] default null
) returns table (id bigint, provider text, provider_message_id text, sent_at timestamptz, polls integer)
language sql security definer set search_path = '' as $$
  with due as (
    select o.id
    from public.notification_outbox o
    left join notifications.delivery_polls p on p.outbox_id = o.id
    where o.status = 'sent' and o.provider in ('kavenegar', 'smsir') and o.provider_message_id is not null
      and o.sent_at <= now() - make_interval(secs => claim_polls.min_age_seconds)
      and o.sent_at > now() - make_interval(secs => claim_polls.max_age_seconds)
      and (p.outbox_id is null or p.next_poll_at <= now())
      and (claim_polls.only_ids is null or o.id = any (claim_polls.only_ids))
    order by o.sent_at
    limit least(greatest(claim_polls.batch, 1), 5000)
    for no key update of o skip locked
  ), marked as (
    insert into notifications.delivery_polls as p (outbox_id, polls, next_poll_at, last_polled_at)
    select due.id, 1, now() + interval '2 minutes', now() from due
    on conflict (outbox_id) do update set
      polls = p.polls + 1,
      next_poll_at = now() + least(interval '2 minutes' * power(2, p.polls), interval '1 hour'),
      last_polled_at = now()
    returning p.outbox_id, p.polls
  )
  select o.id, o.provider, o.provider_message_id, o.sent_at, m.polls
  from marked m join public.notification_outbox o on o.id = m.outbox_id
  order by o.id
$$;
comment on function notifications.claim_polls(integer, integer, integer, bigint[]) is
  'Due status polls (sent by kavenegar / smsir, no final status, older than min_age_seconds, younger than max_age_seconds); moves each one''s next poll on.';

/**
 * results: [{id, provider, provider_message_id, status: delivered|failed|pending|expired, answer}]. Returns how
 * many messages changed (a final status already applied by a webhook changes nothing).
 */
create function notifications.apply_polls(results jsonb) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  r record;
  applied integer := 0;
begin
  if jsonb_typeof(apply_polls.results) is distinct from 'array' or jsonb_array_length(apply_polls.results) > 5000 then
    raise exception 'results must be an array of at most 5000' using errcode = 'NT002';
  end if;
  for r in
    select x.id, x.provider, x.provider_message_id, x.status, x.answer
    from jsonb_to_recordset(apply_polls.results) as x (id bigint, provider text, provider_message_id text, status text, answer text)
  loop
    if r.status not in ('delivered', 'failed', 'pending', 'expired') then
      raise exception 'unknown poll status' using errcode = 'NT002', detail = coalesce(r.status, '');
    end if;
    if r.status in ('delivered', 'failed') and exists (
      select 1 from public.notification_outbox o
      where o.id = r.id and o.provider = r.provider and o.provider_message_id = r.provider_message_id
    ) and notifications.record_status(r.provider, r.provider_message_id, r.status, r.answer) is not null then
      applied := applied + 1;
    end if;
    update notifications.delivery_polls p set
      last_answer = left(r.answer, 300),
      next_poll_at = case when r.status = 'pending' then p.next_poll_at else 'infinity' end
    where p.outbox_id = r.id;
  end loop;
  return applied;
end $$;
comment on function notifications.apply_polls(jsonb) is
  'Applies polled delivery statuses through record_status (as the webhooks do); final or expired ones are not polled again.';

create function notifications.request_poll() returns bigint
language sql security definer set search_path = '' as $$
  delete from notifications.delivery_polls p
  where p.next_poll_at = 'infinity' and p.last_polled_at < now() - interval '3 days';
  select case when exists (
    select 1 from public.notification_outbox o
    left join notifications.delivery_polls p on p.outbox_id = o.id
    where o.status = 'sent' and o.provider in ('kavenegar', 'smsir') and o.provider_message_id is not null
      and o.sent_at <= now() - interval '2 minutes' and o.sent_at > now() - interval '48 hours'
      and (p.outbox_id is null or p.next_poll_at <= now())
  ) then private.invoke_edge_function('notifications-poll', 55000) end
$$;
comment on function notifications.request_poll() is
  'pg_cron, every minute: POSTs to notifications-poll when a status poll is due (forgets finished polls after 3 days).';

revoke execute on function notifications.claim_polls(integer, integer, integer, bigint[]), notifications.apply_polls(jsonb),
  notifications.request_poll() from public, anon, authenticated, service_role;
grant execute on function notifications.claim_polls(integer, integer, integer, bigint[]), notifications.apply_polls(jsonb)
  to service_role;

select cron.schedule('notifications-poll', '* * * * *', 'select notifications.request_poll()');
