-- Purpose: the figures behind GET /metrics (Prometheus text, lib/notifications/metrics.ts): outbox messages by
--          channel / provider / status, attempts by provider / outcome, the enqueue-to-sent latency histogram,
--          the queue depth per channel and the open circuit breakers, in one call.
-- Access: service_role only (the app's metrics route, behind METRICS_TOKEN). Risk: low (read-only; counts scan
--         the outbox and attempts, which is fine at today's volumes; partition or roll up when they grow).

create function notifications.metrics() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'messages', coalesce((select jsonb_agg(jsonb_build_object('channel', m.channel, 'provider', m.provider,
        'status', m.status, 'count', m.n)) from (
      select o.channel, coalesce(o.provider, 'none') as provider, o.status, count(*) as n
      from public.notification_outbox o group by 1, 2, 3) m), '[]'),
    'attempts', coalesce((select jsonb_agg(jsonb_build_object('provider', a.provider, 'outcome', a.outcome,
        'count', a.n)) from (
      select t.provider, t.outcome, count(*) as n from public.notification_attempts t group by 1, 2) a), '[]'),
    'latency', (select jsonb_build_object(
        'buckets', jsonb_build_array(
          count(*) filter (where l <= 0.1), count(*) filter (where l <= 0.5), count(*) filter (where l <= 1),
          count(*) filter (where l <= 2), count(*) filter (where l <= 5), count(*) filter (where l <= 10),
          count(*) filter (where l <= 30), count(*) filter (where l <= 60), count(*) filter (where l <= 300)),
        'sum', coalesce(sum(l), 0), 'count', count(*))
      from (select extract(epoch from o.sent_at - o.created_at)::double precision as l
            from public.notification_outbox o where o.sent_at is not null) s),
    'queue', coalesce((select jsonb_agg(jsonb_build_object('channel', q.channel, 'status', q.status, 'count', q.n))
      from (select o.channel, o.status, count(*) as n from public.notification_outbox o
            where o.status in ('queued', 'sending', 'held') group by 1, 2) q), '[]'),
    'circuits', coalesce((select jsonb_agg(jsonb_build_object('provider', c.provider, 'open', c.open))
      from notifications.circuit_states() c), '[]'))
$$;
comment on function notifications.metrics() is 'Counts for the Prometheus endpoint (service_role).';
revoke execute on function notifications.metrics() from public, anon, authenticated;
grant execute on function notifications.metrics() to service_role;
