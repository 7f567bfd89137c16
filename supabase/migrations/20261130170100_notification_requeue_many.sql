-- Purpose: the dead-letter queue's re-queue for staff, one or many at once (issue 15, part 2):
--          notifications.requeue_many(ids) puts dead / failed / bounced messages back in the queue (attempts
--          reset, due now, lease and last error cleared) and returns how many it re-queued; other ids (still
--          waiting, sent, delivered, unknown) are left alone, so a bulk re-queue of a stale page is harmless.
--          Every attempt stays in notification_attempts: the history is never rewritten.
-- Access: notifications.manage (NT003 otherwise); at most 500 ids per call (NT002).
-- Risk: low.

create function notifications.requeue_many(ids bigint[]) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  done integer;
begin
  if not public.authorize('notifications.manage') then
    raise exception 'not permitted' using errcode = 'NT003';
  end if;
  if ids is null or cardinality(ids) not between 1 and 500 then
    raise exception 'between 1 and 500 ids' using errcode = 'NT002';
  end if;
  update public.notification_outbox o set status = 'queued', attempts = 0, next_attempt_at = now(),
    claimed_until = null, claimed_by = null, last_error = null, updated_at = now()
  where o.id = any (requeue_many.ids) and o.status in ('dead', 'failed', 'bounced');
  get diagnostics done = row_count;
  return done;
end $$;
comment on function notifications.requeue_many(bigint[]) is
  'Staff (notifications.manage): send dead / failed / bounced messages again; returns how many were re-queued.';
revoke execute on function notifications.requeue_many(bigint[]) from public, anon, authenticated;
grant execute on function notifications.requeue_many(bigint[]) to authenticated, service_role;
