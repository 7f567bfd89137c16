-- Purpose: make the ledger's RLS policies cheap and of constant cost.
--          1. "transactions: party or wallet viewer can select" cost the same for every user.
--          Written as `exists (select … from ledger.entries where transaction_id = transactions.id and
--          account_id = <my wallet>)`, the planner turned it into a hashed subplan that first reads every
--          entry of the caller's wallet: looking up one transaction cost time in proportion to the wallet's
--          whole history (about 1 ms at 600 entries, the cost of a whole transfer). The check now goes through
--          a function the planner cannot inline, which probes the entries primary key (transaction_id, leg)
--          once per transaction row it is asked about.
--          2. private.current_wallet_id() (used by the entries and holds policies) becomes plpgsql: as a
--          SECURITY DEFINER SQL function it could not be inlined and was planned again on every call, while
--          plpgsql keeps its plan for the session.
-- Access: unchanged. A user still sees a transaction only when one of its entries is on their wallet, or
--         when their role grants wallet.view; private.is_transaction_party is executable by authenticated
--         and service_role only and says nothing about transactions the caller is not part of.
-- Risk: low; policy replaced inside this migration's transaction, so no moment without it.

create or replace function private.current_wallet_id() returns bigint
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select id from ledger.accounts where user_id = (select auth.uid()) and kind = 'wallet');
end $$;

create function private.is_transaction_party(transaction_id bigint) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return exists (
    select 1 from ledger.entries e
    where e.transaction_id = is_transaction_party.transaction_id
      and e.account_id = private.current_wallet_id()
  );
end $$;
comment on function private.is_transaction_party(bigint) is
  'True when one of the transaction''s entries is on the signed-in user''s wallet (policy helper).';
revoke execute on function private.is_transaction_party(bigint) from public, anon;
grant execute on function private.is_transaction_party(bigint) to authenticated, service_role;

drop policy "transactions: party or wallet viewer can select" on ledger.transactions;
create policy "transactions: party or wallet viewer can select" on ledger.transactions
  for select to authenticated
  using ((select public.authorize('wallet.view')) or private.is_transaction_party(id));
