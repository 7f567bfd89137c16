-- Purpose: ledger.check_invariants() lists every way the ledger could be wrong; zero rows means healthy.
--          Run after every integration test file and available to ops and monitoring.
-- Access: service_role only (it reads every account). One statement, so it sees one consistent snapshot.
-- Risk: low; read-only, but it scans the whole ledger (run it off-peak on large databases).

create function ledger.check_invariants()
returns table (problem text, subject text, detail jsonb)
language sql stable security definer set search_path = '' as $$
  with transaction_sums as (
    select transaction_id, sum(amount) as total, count(*) as legs from ledger.entries group by transaction_id
  ),
  account_sums as (
    select account_id, sum(amount) as total from ledger.entries group by account_id
  ),
  active_holds as (
    select account_id, sum(amount) as total from ledger.holds where status = 'active' group by account_id
  )
  select 'unbalanced_transaction', t.id::text,
         jsonb_build_object('sum', coalesce(s.total, 0), 'entries', coalesce(s.legs, 0))
  from ledger.transactions t left join transaction_sums s on s.transaction_id = t.id
  where coalesce(s.total, 0) <> 0 or coalesce(s.legs, 0) < 2
  union all
  select 'entries_without_transaction', s.transaction_id::text, jsonb_build_object('sum', s.total)
  from transaction_sums s where not exists (select 1 from ledger.transactions t where t.id = s.transaction_id)
  union all
  select 'wallet_balance_mismatch', b.account_id::text,
         jsonb_build_object('balance', b.balance, 'entries', coalesce(a.total, 0))
  from ledger.wallet_balances b left join account_sums a on a.account_id = b.account_id
  where b.balance <> coalesce(a.total, 0)
  union all
  select 'wallet_held_mismatch', b.account_id::text,
         jsonb_build_object('held', b.held, 'active_holds', coalesce(h.total, 0))
  from ledger.wallet_balances b left join active_holds h on h.account_id = b.account_id
  where b.held <> coalesce(h.total, 0)
  union all
  select 'negative_wallet', b.account_id::text,
         jsonb_build_object('balance', b.balance, 'held', b.held, 'available', b.balance - b.held)
  from ledger.wallet_balances b
  where b.balance < 0 or b.held < 0 or b.balance - b.held < 0
  union all
  select 'wallet_without_balance_row', a.id::text, jsonb_build_object('user_id', a.user_id)
  from ledger.accounts a
  where a.kind = 'wallet' and not exists (select 1 from ledger.wallet_balances b where b.account_id = a.id)
  union all
  select 'balance_row_on_system_account', b.account_id::text, jsonb_build_object('code', a.code)
  from ledger.wallet_balances b join ledger.accounts a on a.id = b.account_id
  where a.kind <> 'wallet'
  union all
  select 'withdrawal_hold_mismatch', w.id::text,
         jsonb_build_object('status', w.status, 'hold_status', h.status, 'hold_amount', h.amount, 'amount', w.amount)
  from ledger.withdrawals w join ledger.holds h on h.id = w.hold_id
  where h.amount <> w.amount or h.account_id <> w.account_id
     or (w.status = 'pending' and h.status <> 'active')
     or (w.status = 'approved' and (h.status <> 'consumed' or h.transaction_id is distinct from w.transaction_id))
     or (w.status in ('rejected', 'cancelled') and h.status <> 'released')
  union all
  select 'reversal_mismatch', r.id::text, jsonb_build_object('reverses', r.reverses)
  from ledger.transactions r
  where r.reverses is not null and exists (
    (select e.account_id, -e.amount from ledger.entries e where e.transaction_id = r.reverses)
    except all
    (select e.account_id, e.amount from ledger.entries e where e.transaction_id = r.id)
  )
$$;
comment on function ledger.check_invariants() is
  'Every broken ledger invariant as (problem, subject, detail): unbalanced transactions, wallet rows that differ from their entries or holds, negative wallets, withdrawal/hold mismatches, reversals that do not mirror. Healthy = no rows.';

revoke execute on function ledger.check_invariants() from public, anon, authenticated, service_role;
grant execute on function ledger.check_invariants() to service_role;
