-- Purpose: less server work per posting, where the profile (bench:ledger, pg_stat_statements with
--          track = all and track_functions = pl) showed it:
--          1. The deferred sum-to-zero trigger (entries_balanced) queued an event per transaction and, at
--             commit, ran a query over the transaction's entries, although ledger.post_transaction has just
--             proven the sum of the very legs it inserts. post_transaction now names the transactions it has
--             proven (the transaction-local setting ledger.proven_transactions, "first-last", set right
--             before its one entries insert and cleared right after it); the trigger's WHEN clause, which
--             is evaluated at insert time, skips those rows. Entries inserted any other way (by another
--             function, or by hand as the owner) are checked at commit exactly as before.
--          2. A posting asked wallet_watchers once per changed wallet whether someone watches it; it now
--             asks once per posting, for all its changed wallets together (ledger.announce_wallet_changes,
--             shared with the batch postings), and announces them in account-id order as before.
-- Access: unchanged (internal functions, no grants).
-- Risk: high (money) but behaviour-preserving: the same checks in the same order, the same SQLSTATEs, the
--       same lock order, the same request hash; ledger.check_invariants() still checks every transaction.

/** Announces the changed wallet rows that someone watches, in the order given, with one look at the watchers. */
create function ledger.announce_wallet_changes(announce ledger.wallet_balances[], users uuid[]) returns void
language plpgsql as $$
declare
  watched uuid[];
begin
  if coalesce(cardinality(announce), 0) = 0 then
    return;
  end if;
  watched := array(select w.user_id from ledger.wallet_watchers w
                   where w.user_id = any (users) and w.expires_at > now());
  for i in 1..cardinality(announce) loop
    if (announce[i]).user_id = any (watched) then
      perform pg_notify('wallet_changed', ledger.wallet_changed_payload(announce[i]));
    end if;
  end loop;
end $$;
comment on function ledger.announce_wallet_changes(ledger.wallet_balances[], uuid[]) is
  'pg_notify(''wallet_changed'') for each changed wallet row (in order) whose user is watched; `users` are the rows'' user ids. Internal.';
revoke execute on function ledger.announce_wallet_changes(ledger.wallet_balances[], uuid[])
  from public, anon, authenticated, service_role;

create or replace function ledger.post_transaction(
  posting_kind ledger.transaction_kind,
  scope text,
  idempotency_key text,
  request jsonb,
  metadata jsonb,
  account_ids bigint[],
  amounts bigint[],
  reverses bigint default null
) returns bigint
language plpgsql as $$
declare
  legs int := coalesce(cardinality(account_ids), 0);
  total bigint := 0;
  hash uuid;
  stored_hash uuid;
  posted bigint;
  ids bigint[];
  deltas bigint[];
  changed ledger.wallet_balances;
  announce ledger.wallet_balances[] := '{}'::ledger.wallet_balances[];
  changed_users uuid[] := '{}'::uuid[];
begin
  if idempotency_key is null or length(idempotency_key) not between 1 and 255 then
    raise exception 'invalid_idempotency_key' using errcode = 'LW012',
      detail = 'An idempotency key of 1 to 255 characters is required.';
  end if;
  if legs < 2 or legs <> coalesce(cardinality(amounts), 0) then
    raise exception 'unbalanced_transaction' using errcode = 'LW091';
  end if;
  for i in 1..legs loop
    if account_ids[i] is null or amounts[i] is null or amounts[i] = 0 then
      raise exception 'unbalanced_transaction' using errcode = 'LW091', detail = format('leg %s is empty', i);
    end if;
    total := total + amounts[i];
  end loop;
  if total <> 0 then
    raise exception 'unbalanced_transaction' using errcode = 'LW091', detail = format('legs sum to %s', total);
  end if;

  -- Idempotency first: a concurrent request with the same key waits here until the first one ends.
  hash := md5((jsonb_build_object('kind', posting_kind) || request)::text)::uuid;
  insert into ledger.transactions
    (kind, idempotency_scope, idempotency_key, request_hash, metadata, reverses, created_by)
  values
    (posting_kind, scope, idempotency_key, hash, coalesce(metadata, '{}'), reverses, auth.uid())
  on conflict on constraint transactions_idempotency_key do nothing
  returning id into posted;
  if posted is null then
    select t.id, t.request_hash into posted, stored_hash from ledger.transactions t
    where t.idempotency_scope = scope and t.idempotency_key = post_transaction.idempotency_key;
    if stored_hash is distinct from hash then
      raise exception 'idempotency_conflict' using errcode = 'LW002',
        detail = 'This idempotency key was already used for a different request.';
    end if;
    return posted;
  end if;

  -- Net change per account in ascending account id: wallet rows are locked in that order (no deadlocks).
  if legs = 2 and account_ids[1] < account_ids[2] then
    ids := account_ids;
    deltas := amounts;
  elsif legs = 2 and account_ids[1] > account_ids[2] then
    ids := array[account_ids[2], account_ids[1]];
    deltas := array[amounts[2], amounts[1]];
  else
    select array_agg(s.a order by s.a), array_agg(s.d order by s.a) into ids, deltas
    from (select t.a, sum(t.m) as d from unnest(account_ids, amounts) as t (a, m) group by t.a) s;
  end if;
  for i in 1..cardinality(ids) loop
    -- The guard refuses an overdraft (re-checked on the newest row version after a lock wait). No row
    -- means a system account (no balance row) or, when money leaves, possibly an overdraft.
    update ledger.wallet_balances b set balance = b.balance + deltas[i], updated_at = now()
    where b.account_id = ids[i] and b.balance - b.held + deltas[i] >= 0
    returning b.* into changed;
    if changed.account_id is not null then
      announce := announce || changed;
      changed_users := changed_users || changed.user_id;
    elsif deltas[i] < 0 and exists (select 1 from ledger.wallet_balances b where b.account_id = ids[i]) then
      raise exception 'insufficient_funds' using errcode = 'LW001',
        detail = format('account %s cannot cover %s rials', ids[i], -deltas[i]);
    end if;
    changed := null;
  end loop;
  -- One look at the watchers for the whole posting; the announcements only when someone watches.
  if exists (select 1 from ledger.wallet_watchers w where w.user_id = any (changed_users) and w.expires_at > now()) then
    perform ledger.announce_wallet_changes(announce, changed_users);
  end if;

  -- The legs were proven to sum to zero above: the commit-time check may skip this transaction's rows.
  perform set_config('ledger.proven_transactions', posted || '-' || posted, true);
  insert into ledger.entries (transaction_id, leg, account_id, amount)
  select posted, t.leg::smallint, t.a, t.m
  from unnest(account_ids, amounts) with ordinality as t (a, m, leg);
  perform set_config('ledger.proven_transactions', '', true);
  return posted;
end $$;

/**
 * True when the current database transaction's posting function has proven the sum of transaction `id`'s
 * legs (ledger.proven_transactions = 'first-last' covers it). Internal: the WHEN clause of entries_balanced.
 */
create function ledger.sum_is_proven(id bigint) returns boolean
language sql stable parallel safe as $$
  select coalesce(
    id between split_part(nullif(current_setting('ledger.proven_transactions', true), ''), '-', 1)::bigint
       and split_part(nullif(current_setting('ledger.proven_transactions', true), ''), '-', 2)::bigint,
    false)
$$;
comment on function ledger.sum_is_proven(bigint) is
  'True while the posting function inserts the legs of transaction `id`, whose sum it has just proven (ledger.proven_transactions). Internal.';
revoke execute on function ledger.sum_is_proven(bigint) from public, anon, authenticated, service_role;

drop trigger entries_balanced on ledger.entries;
-- Fires once per transaction (on its first leg), at commit, after every leg is in; not for the legs the
-- posting function has proven itself (the WHEN clause of a constraint trigger is evaluated at insert time).
create constraint trigger entries_balanced after insert on ledger.entries
  deferrable initially deferred
  for each row when (new.leg = 1 and not ledger.sum_is_proven(new.transaction_id))
  execute function ledger.assert_transaction_balanced();
