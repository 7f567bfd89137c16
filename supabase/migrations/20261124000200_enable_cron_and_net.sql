-- Purpose: scheduled jobs (payments reconciliation, notifications dispatch, view refreshes) use pg_cron,
--          and call Edge Functions through pg_net's net.http_post.
-- Access: the cron schema is not exposed; only postgres schedules jobs.
-- Risk: low. Hosted Supabase has pg_cron; a local server without it gets the shim (cron schema already present).
do $$
begin
  if to_regnamespace('cron') is null then
    create extension if not exists pg_cron with schema pg_catalog;
  end if;
end $$;
do $$
begin
  if to_regnamespace('net') is null then
    create extension if not exists pg_net with schema extensions;
  end if;
end $$;
