-- pgTAP: pg_cron calls payments-reconcile every minute through net.http_post, with URL and key from Vault.
begin;
select plan(5);

select results_eq($$select schedule, command from cron.job where jobname = 'payments-reconcile'$$,
  $$values ('* * * * *'::text, 'select payments.request_reconcile()'::text)$$,
  'the reconcile job runs every minute');

delete from vault.secrets where name in ('project_url', 'service_key');
select is(payments.request_reconcile(), null, 'without the Vault secrets nothing is sent');

select vault.create_secret('https://project.example.test/', 'project_url');
select vault.create_secret('sb_secret_pgtap', 'service_key');
select isnt(payments.request_reconcile(), null, 'with them a request is queued');
select results_eq(
  $$select url, headers ->> 'Authorization' from net.http_request_queue order by id desc limit 1$$,
  $$values ('https://project.example.test/functions/v1/payments-reconcile'::text, 'Bearer sb_secret_pgtap'::text)$$,
  'the request goes to the function with the secret key');

set local role service_role;
select throws_ok($$select payments.request_reconcile()$$, '42501', null, 'API roles cannot trigger it');
reset role;

select * from finish();
rollback;
