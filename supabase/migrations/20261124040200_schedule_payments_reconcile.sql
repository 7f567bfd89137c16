-- Purpose: every minute pg_cron asks the `payments-reconcile` Edge Function (through pg_net's net.http_post)
--          to re-verify stale pending payments, expire abandoned ones and pick up paid-but-unverified ones.
-- Access: the function reads the project URL and the secret key from Vault (`project_url`, `service_key`);
--         ops set them once per project:
--           select vault.create_secret('https://<ref>.supabase.co', 'project_url');
--           select vault.create_secret('<sb_secret_… or service_role key>', 'service_key');
--         The local stack writes them at start (local/payments_setup.ts). Only postgres (cron) calls it.
-- Risk: low. Without the secrets the job does nothing (a notice); reconciliation is idempotent, so an
--       overlapping or repeated run is harmless.

create function payments.request_reconcile() returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  base_url text;
  secret text;
begin
  select decrypted_secret into base_url from vault.decrypted_secrets where name = 'project_url';
  select decrypted_secret into secret from vault.decrypted_secrets where name = 'service_key';
  if base_url is null or secret is null then
    raise notice 'payments-reconcile skipped: set the vault secrets project_url and service_key';
    return null;
  end if;
  return net.http_post(
    url := rtrim(base_url, '/') || '/functions/v1/payments-reconcile',
    body := jsonb_build_object('time', now()),
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || secret),
    timeout_milliseconds := 55000
  );
end $$;
comment on function payments.request_reconcile() is
  'Queues a POST to the payments-reconcile Edge Function with the service key from Vault; returns the pg_net request id (null without secrets).';
revoke execute on function payments.request_reconcile() from public, anon, authenticated, service_role;

select cron.schedule('payments-reconcile', '* * * * *', 'select payments.request_reconcile()');
