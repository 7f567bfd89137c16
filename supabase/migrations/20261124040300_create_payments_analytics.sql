-- Purpose: analyst views of top-ups: daily volume by status, the funnel from started to paid, and gateway fees.
-- Access: role `analyst` (NOLOGIN; created by the ledger analytics migration, or here when missing) selects
--         them; the views run with their owner's rights, so analysts need no grants on public.payments.
--         API roles get nothing in schema analytics.
-- Risk: low; read-only. The views carry no user ids, authorities, cards or emails: aggregates only.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'analyst') then
    create role analyst nologin;
  end if;
end $$;
create schema if not exists analytics;
revoke all on schema analytics from public;
grant usage on schema analytics to analyst;

create view analytics.payments_daily with (security_invoker = false) as
  select (p.created_at at time zone 'Asia/Tehran')::date as day,
         p.status,
         count(*) as payments,
         sum(p.amount)::bigint as amount_rials,
         coalesce(sum(p.fee) filter (where p.verified_at is not null), 0)::bigint as fee_rials,
         count(*) filter (where p.needs_review) as needing_review
  from public.payments p
  group by 1, 2;
comment on view analytics.payments_daily is
  'Top-ups per Tehran calendar day (of starting) and status: how many, rials, gateway fees (of paid ones), how many need review.';

create view analytics.payments_conversion with (security_invoker = false) as
  select (p.created_at at time zone 'Asia/Tehran')::date as day,
         count(*) as started,
         count(*) filter (where p.status in ('verified', 'refunded')) as paid,
         count(*) filter (where p.status = 'failed' and p.failure_reason = 'cancelled') as cancelled,
         count(*) filter (where p.status = 'failed' and p.failure_reason is distinct from 'cancelled') as failed,
         count(*) filter (where p.status = 'expired') as expired,
         count(*) filter (where p.status = 'pending') as pending,
         count(*) filter (where p.status = 'refunded') as refunded,
         round(count(*) filter (where p.status in ('verified', 'refunded'))::numeric / count(*), 4)
           as conversion_rate,
         sum(p.amount) filter (where p.status in ('verified', 'refunded'))::bigint as paid_rials,
         round(extract(epoch from avg(p.verified_at - p.created_at) filter (where p.verified_at is not null)))::bigint
           as average_seconds_to_pay
  from public.payments p
  group by 1;
comment on view analytics.payments_conversion is
  'The top-up funnel per Tehran day: started, paid, cancelled, failed, expired, still pending, refunded; conversion = paid / started.';

create view analytics.payments_fees with (security_invoker = false) as
  select (p.verified_at at time zone 'Asia/Tehran')::date as day,
         coalesce(p.fee_type, 'unknown') as fee_type,
         count(*) as payments,
         sum(p.amount)::bigint as gross_rials,
         coalesce(sum(p.fee), 0)::bigint as fee_rials,
         (sum(p.amount) - coalesce(sum(p.fee) filter (where p.fee_type = 'Merchant'), 0))::bigint as net_rials,
         round(coalesce(sum(p.fee), 0)::numeric / nullif(sum(p.amount), 0), 6) as fee_ratio
  from public.payments p
  where p.status in ('verified', 'refunded')
  group by 1, 2;
comment on view analytics.payments_fees is
  'Gateway fees of paid top-ups per Tehran day (of payment) and fee type: gross, fees, net of merchant-paid fees, fee ratio.';

revoke all on analytics.payments_daily, analytics.payments_conversion, analytics.payments_fees
  from public, anon, authenticated, service_role;
grant select on analytics.payments_daily, analytics.payments_conversion, analytics.payments_fees to analyst;
