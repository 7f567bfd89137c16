-- Purpose: read-only views of the ledger for analysts: daily totals by kind, balances by user, and the
--          withdrawals pipeline; plus the NOLOGIN role `analyst` that reads them (give a person access with
--          `create role <name> login password '…' in role analyst`).
-- Access: `analyst` has usage on schema analytics and select on its views, and nothing else. The views run
--         with their owner's rights (security_invoker = false), so analysts need no ledger grants and
--         see every row; API roles (anon, authenticated, service_role) get nothing here.
-- Risk: low; read-only. The views expose user ids and amounts, no emails, phones or IBANs.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'analyst') then
    create role analyst nologin;
  end if;
end $$;

create schema if not exists analytics;
comment on schema analytics is 'Read-only views for analysts (role analyst); not exposed through the API.';
revoke all on schema analytics from public;
grant usage on schema analytics to analyst;

create view analytics.ledger_daily_totals with (security_invoker = false) as
  select (t.created_at at time zone 'Asia/Tehran')::date as day,
         t.kind,
         count(*) as transactions,
         sum(v.volume)::bigint as volume_rials
  from ledger.transactions t
  cross join lateral (
    select coalesce(sum(e.amount) filter (where e.amount > 0), 0) as volume
    from ledger.entries e where e.transaction_id = t.id
  ) v
  group by 1, 2;
comment on view analytics.ledger_daily_totals is
  'Per Tehran calendar day and transaction kind: how many transactions and how many rials moved.';

create view analytics.wallet_balances with (security_invoker = false) as
  select b.user_id, b.account_id, b.balance, b.held, b.balance - b.held as available, b.updated_at,
         a.created_at as opened_at
  from ledger.wallet_balances b join ledger.accounts a on a.id = b.account_id;
comment on view analytics.wallet_balances is 'Every wallet: balance, held and available rials by user.';

create view analytics.system_account_balances with (security_invoker = false) as
  select a.code, a.name, coalesce(sum(e.amount), 0)::bigint as balance
  from ledger.accounts a left join ledger.entries e on e.account_id = a.id
  where a.kind = 'system'
  group by a.id, a.code, a.name;
comment on view analytics.system_account_balances is
  'System accounts (gateway clearing, revenue, payouts, adjustments, fees, merchants) with balance = sum of entries.';

create view analytics.withdrawals_pipeline with (security_invoker = false) as
  select (w.created_at at time zone 'Asia/Tehran')::date as day,
         w.status,
         count(*) as withdrawals,
         sum(w.amount)::bigint as amount_rials,
         round(avg(extract(epoch from w.reviewed_at - w.created_at)))::bigint as average_seconds_to_decision,
         min(w.created_at) filter (where w.status = 'pending') as oldest_pending_since
  from ledger.withdrawals w
  group by 1, 2;
comment on view analytics.withdrawals_pipeline is
  'Withdrawals per Tehran day of request and status: count, rials, average seconds to a decision, oldest still pending.';

revoke all on analytics.ledger_daily_totals, analytics.wallet_balances, analytics.system_account_balances,
  analytics.withdrawals_pipeline from public, anon, authenticated, service_role;
grant select on analytics.ledger_daily_totals, analytics.wallet_balances, analytics.system_account_balances,
  analytics.withdrawals_pipeline to analyst;
