-- Purpose: notifications.next_due_in() answers null when nothing waits, as its comment always said. It
--          returned 0 then: greatest(null, 0) is 0 (greatest skips nulls), so a dispatcher with nothing to send
--          polled every pollMs until its time budget ran out (the Edge Function: 50 s after every call; the
--          benchmark's rounds: 5 s each, whatever their size).
-- Access: unchanged (service_role only).
-- Risk: low (one stable function; same signature, owner and grants).

create or replace function notifications.next_due_in() returns double precision
language sql stable security definer set search_path = '' as $$
  select case when d.due is not null then greatest(extract(epoch from d.due - now()), 0) end
  from (
    select min(case when o.status = 'queued' then o.next_attempt_at else o.claimed_until end) as due
    from public.notification_outbox o
    where o.status in ('queued', 'sending')
      and (o.broadcast_id is null or exists (select 1 from public.broadcasts b where b.id = o.broadcast_id and b.status = 'sending'))
  ) d
$$;
comment on function notifications.next_due_in() is 'Seconds until the next outbox row is due (0 = now, null = none).';
