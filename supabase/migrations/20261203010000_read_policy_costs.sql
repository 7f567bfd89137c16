-- Purpose: cheaper row-level security on the read paths (issue 13: signed-in pages ≥ 0.8× their API call).
--          1. private.primary_role becomes plpgsql. public.authorize() calls it once per policy that asks for
--             a permission, i.e. once or twice in almost every statement a signed-in user runs; as a SECURITY
--             DEFINER SQL function it was never inlined and its body was parsed and planned again in every
--             statement (≈ 70 µs each; a user's wallet-balance read went 0.096 → 0.026 ms of server time).
--          2. "transactions: party or wallet viewer can select" checks the caller's entry in the transaction
--             with an index probe written in the policy instead of calling private.is_transaction_party once
--             per transaction row (a plpgsql call and a nested statement per row: a 20-row wallet page read
--             21 of them, 0.38 of its 0.56 ms). The probe ends in `offset 0` on purpose: without it the
--             planner may turn the EXISTS into a hashed subplan that reads every entry of the caller's wallet
--             first (seen: a lookup by id planned as a sequential scan of ledger.entries), which is why
--             20261124140000 went through a function. With it, each row costs one probe of
--             entries_account_id_idx (account_id, transaction_id), whatever the wallet's history.
--          3. The payment_events / payment_refunds policies probe public.payments the same way instead of
--             calling private.owns_payment (a SECURITY DEFINER SQL function, planned again per statement).
--          The two helper functions no policy uses any more are dropped.
-- Access: unchanged. A user sees a transaction only when one of its entries is on their own wallet, a
--         payment's events and refunds only when the payment is theirs, or anything when their role grants
--         wallet.view / payments.view. The probes run as the caller, under the entries and payments policies,
--         which allow exactly the rows the probes look for. Tested by supabase/tests/20–23 (per role) and
--         66_read_policy_cost_test.sql.
-- Risk: low; policies replaced inside this migration's transaction, so there is no moment without them.

create or replace function private.primary_role(target uuid) returns public.app_role
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce((select max(role) from public.user_roles where user_id = target), 'user'::public.app_role);
end $$;

alter policy "transactions: party or wallet viewer can select" on ledger.transactions
  using (
    (select public.authorize('wallet.view'))
    or exists (
      select 1 from ledger.entries e
      where e.transaction_id = transactions.id and e.account_id = (select private.current_wallet_id())
      offset 0 -- keeps this a per-row index probe (see Purpose 2)
    )
  );

alter policy "payment_events: owner or payments viewer can select" on public.payment_events
  using (
    (select public.authorize('payments.view'))
    or exists (
      select 1 from public.payments p
      where p.id = payment_events.payment_id and p.user_id = (select auth.uid())
      offset 0 -- keeps this a per-row primary-key probe (see Purpose 2)
    )
  );

alter policy "payment_refunds: owner or payments viewer can select" on public.payment_refunds
  using (
    (select public.authorize('payments.view'))
    or exists (
      select 1 from public.payments p
      where p.id = payment_refunds.payment_id and p.user_id = (select auth.uid())
      offset 0 -- keeps this a per-row primary-key probe (see Purpose 2)
    )
  );

drop function private.is_transaction_party(bigint);
drop function private.owns_payment(bigint);
