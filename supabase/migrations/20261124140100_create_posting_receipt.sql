-- Purpose: let the API post and learn whether it posted in one statement:
--          `select * from ledger.posting_receipt(ledger.transfer(…))`. The receipt says when the transaction
--          was posted and whether the current database transaction posted it (an idempotent replay returns
--          an earlier transaction, made before now()). Reading the transaction in a second statement cost
--          a round trip per API call.
-- Why volatile: a volatile function takes a fresh snapshot for each query, so it sees the row that the
--          posting function in its argument inserted a moment earlier in the same statement; a stable one
--          (or a plain join) would read the statement's starting snapshot and find nothing. Why plpgsql: it
--          keeps its query plan for the session, where a SQL function would be planned again on every call.
-- Access: a caller gets a receipt only for a transaction posted under their own idempotency scope
--         (ledger.caller_scope(): their user id, or `service`), i.e. for their own postings and replays;
--         nothing for anyone else's. That check replaces RLS here (SECURITY DEFINER), since the policy on
--         ledger.transactions costs more than the lookup. Executable by authenticated and service_role.
-- Risk: low; read-only.

create function ledger.posting_receipt(posted bigint)
returns table (transaction_id bigint, created_at timestamptz, created boolean)
language plpgsql volatile security definer set search_path = '' as $$
declare
  found ledger.transactions;
begin
  -- By primary key alone: with the scope in the same WHERE, the planner may walk the caller's every key
  -- in transactions_idempotency_key instead (it did, once wallets had thousands of transactions).
  select * into found from ledger.transactions t where t.id = posted;
  if found.idempotency_scope is distinct from ledger.caller_scope() then
    return;
  end if;
  return query select found.id, found.created_at, found.created_at = now();
end $$;
comment on function ledger.posting_receipt(bigint) is
  'When the caller''s own transaction `posted` was made, and whether by the current database transaction (false for a replay).';
revoke execute on function ledger.posting_receipt(bigint) from public, anon;
grant execute on function ledger.posting_receipt(bigint) to authenticated, service_role;
