-- Purpose: abuse limits (sign-in, sign-up, password recovery, magic links) counted in Postgres, so a limit holds
--          across any number of app instances.
-- Access: only through private.hit_rate_limit(), executable by service_role; the table is not exposed.
-- Risk: low. One row per key and window (fixed windows); pg_cron prunes expired rows every 10 minutes.

create table private.rate_limits (
  key text primary key check (length(key) between 1 and 200),
  window_start timestamptz not null,
  expires_at timestamptz not null,
  hits integer not null check (hits >= 0)
);
comment on table private.rate_limits is 'Fixed-window hit counters per limit key (action, scope, subject).';

create index rate_limits_expires_at_idx on private.rate_limits (expires_at);

revoke all on table private.rate_limits from public, anon, authenticated, service_role;

alter table private.rate_limits enable row level security;

/**
 * Counts one hit against `key` in a fixed window of `window_length`; `allowed` is false once more than
 * `max_hits` hits fall in the window, and `retry_after` says in how many seconds the window ends.
 */
create function private.hit_rate_limit(key text, window_length interval, max_hits integer)
returns table (allowed boolean, hits integer, retry_after integer)
language plpgsql security definer set search_path = '' as $$
declare
  now_at timestamptz := clock_timestamp();
  ends_at timestamptz;
  counted integer;
begin
  if window_length <= interval '0' or max_hits < 0 then
    raise exception 'hit_rate_limit: window must be positive and max_hits non-negative'
      using errcode = 'invalid_parameter_value';
  end if;
  insert into private.rate_limits as r (key, window_start, expires_at, hits)
  values (hit_rate_limit.key, now_at, now_at + window_length, 1)
  on conflict on constraint rate_limits_pkey do update set
    window_start = case when r.expires_at <= now_at then now_at else r.window_start end,
    expires_at = case when r.expires_at <= now_at then now_at + window_length else r.expires_at end,
    hits = case when r.expires_at <= now_at then 1 else r.hits + 1 end
  returning r.expires_at, r.hits into ends_at, counted;
  allowed := counted <= max_hits;
  hits := counted;
  retry_after := case when allowed then 0
                      else greatest(1, ceil(extract(epoch from ends_at - now_at))::integer) end;
  return next;
end $$;
comment on function private.hit_rate_limit(text, interval, integer) is
  'Fixed-window rate limit shared by every app instance; returns allowed, hits and retry_after seconds.';
revoke execute on function private.hit_rate_limit(text, interval, integer) from public, anon, authenticated;
grant execute on function private.hit_rate_limit(text, interval, integer) to service_role;

select cron.schedule(
  'rate-limits-prune',
  '*/10 * * * *',
  $$delete from private.rate_limits where expires_at < now() - interval '1 minute'$$
);
