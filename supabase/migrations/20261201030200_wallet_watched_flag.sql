-- Purpose: a posting learns whether a wallet is watched from the wallet row it has just updated, instead of a
--          query on ledger.wallet_watchers. That query's plan depended on the table's statistics: once
--          autovacuum had seen the table empty (reltuples 0), the planner took it for empty however many rows
--          it held later and scanned all of them for every posting (bench:ledger, every wallet watched: the
--          server CPU per transfer doubled in the rounds that hit it, 0.78-1.04 against 0.42-0.48 ms).
--          wallet_balances.watched_until holds the latest expiry of the wallet's live views; a row trigger on
--          wallet_watchers keeps it (insert, renewal, unwatch, or any direct change of a live registration;
--          deleting registrations that have already expired changes nothing, so watch_wallet's clean-up
--          locks no other wallet). Uniform postings also skip one statement (the watcher look-up).
-- Locks: the trigger updates the one wallet row of the registration's user: a watch never holds two wallet
--        rows, so it cannot deadlock with postings (which lock theirs in ascending account id).
-- Access: unchanged (the column is read through the existing wallet_balances policy).
-- Risk: medium (live feeds). Tested: tests/integration/ledger_postings_test.ts (watched, unwatched, expired,
--       unwatched-again), tests/integration/wallet_live_feed_test.ts (a wallet watched after the table was
--       seen empty).

alter table ledger.wallet_balances add column watched_until timestamptz;
comment on column ledger.wallet_balances.watched_until is
  'Until when someone has a live view of this wallet (the latest expires_at of its ledger.wallet_watchers rows); postings log changes to ledger.wallet_changes while it is in the future. Kept by a trigger on wallet_watchers.';

/** Sets one user's wallet_balances.watched_until from their unexpired live-view registrations. */
create function ledger.sync_watched_until() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  target uuid := case when tg_op = 'DELETE' then old.user_id else new.user_id end;
  latest timestamptz;
begin
  if tg_op = 'DELETE' and old.expires_at <= now() then
    return null; -- an expired registration no longer counts: nothing changes
  end if;
  select max(w.expires_at) into latest from ledger.wallet_watchers w
  where w.user_id = target and w.expires_at > now();
  update ledger.wallet_balances b set watched_until = latest
  where b.user_id = target and b.watched_until is distinct from latest;
  if tg_op = 'UPDATE' and old.user_id is distinct from new.user_id then
    select max(w.expires_at) into latest from ledger.wallet_watchers w
    where w.user_id = old.user_id and w.expires_at > now();
    update ledger.wallet_balances b set watched_until = latest
    where b.user_id = old.user_id and b.watched_until is distinct from latest;
  end if;
  return null;
end $$;
comment on function ledger.sync_watched_until() is
  'Trigger on ledger.wallet_watchers: keeps wallet_balances.watched_until at the latest unexpired registration of the user. Internal.';
revoke execute on function ledger.sync_watched_until() from public, anon, authenticated, service_role;

create trigger wallet_watchers_sync after insert or update or delete on ledger.wallet_watchers
  for each row execute function ledger.sync_watched_until();

-- Registrations made before this migration.
update ledger.wallet_balances b set watched_until = w.latest
from (select user_id, max(expires_at) as latest from ledger.wallet_watchers where expires_at > now() group by user_id) w
where b.user_id = w.user_id;

/** Logs the changed wallet rows (in order) that are watched now; `users` are the rows' user ids. */
create or replace function ledger.announce_wallet_changes(announce ledger.wallet_balances[], users uuid[])
returns void
language plpgsql set plan_cache_mode = force_generic_plan as $$
begin
  if coalesce(cardinality(announce), 0) = 0 then
    return;
  end if;
  insert into ledger.wallet_changes (user_id, account_id, balance, held, updated_at)
  select (announce[i]).user_id, (announce[i]).account_id, (announce[i]).balance, (announce[i]).held,
         (announce[i]).updated_at
  from generate_subscripts(announce, 1) as i
  where (announce[i]).watched_until > now() and (announce[i]).user_id = any (users)
  order by i;
end $$;
comment on function ledger.announce_wallet_changes(ledger.wallet_balances[], uuid[]) is
  'Appends each changed wallet row (in order) that is watched (watched_until in the future) to ledger.wallet_changes; `users` are the rows'' user ids. Internal.';

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
  watched_users uuid[] := '{}'::uuid[];
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
    -- means a system account (no balance row) or, when money leaves, possibly an overdraft. A wallet row
    -- found proves its account (its foreign key); any other account is looked up (entries have no foreign
    -- keys: this function proves them).
    update ledger.wallet_balances b set balance = b.balance + deltas[i], updated_at = now()
    where b.account_id = ids[i] and b.balance - b.held + deltas[i] >= 0
    returning b.* into changed;
    if changed.account_id is not null then
      -- Someone has a live view of this wallet: its new row goes to the change log.
      if changed.watched_until > now() then
        announce := announce || changed;
        watched_users := watched_users || changed.user_id;
      end if;
    elsif deltas[i] < 0 and exists (select 1 from ledger.wallet_balances b where b.account_id = ids[i]) then
      raise exception 'insufficient_funds' using errcode = 'LW001',
        detail = format('account %s cannot cover %s rials', ids[i], -deltas[i]);
    elsif not exists (select 1 from ledger.accounts a where a.id = ids[i]) then
      raise exception 'account_not_found' using errcode = 'LW015', detail = format('no account %s', ids[i]);
    end if;
    changed := null;
  end loop;
  if cardinality(announce) > 0 then
    perform ledger.announce_wallet_changes(announce, watched_users);
  end if;

  -- The legs were proven to sum to zero above: the commit-time check may skip this transaction's rows.
  perform set_config('ledger.proven_transactions', posted || '-' || posted, true);
  insert into ledger.entries (transaction_id, leg, account_id, amount)
  select posted, t.leg::smallint, t.a, t.m
  from unnest(account_ids, amounts) with ordinality as t (a, m, leg);
  perform set_config('ledger.proven_transactions', '', true);
  return posted;
end $$;
