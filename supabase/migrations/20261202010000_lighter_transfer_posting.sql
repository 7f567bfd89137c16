-- Purpose: less server CPU per posting, round 2 of issue 13 (uniform transfers ≥ 1.5× pgbench TPC-B, watched
--          ≥ 0.95× uniform). Profiled first (perf on one backend posting transfers one after another, and the
--          backend's own CPU from /proc/<pid>/schedstat with parts of the posting left out in turn; the
--          figures are in docs/performance.md, "Round 2"):
--          1. Watched wallets: the posting collected the watched rows into arrays and then PERFORMed
--             ledger.announce_wallet_changes, a second PL/pgSQL call whose insert unnested the arrays,
--             filtered them again and sorted them, and a transfer between two watched wallets appended two
--             log rows: two inserts, two values of the log's identity sequence, two heap rows and two entries
--             in the xid index, which under eight concurrent clients queue on the same last pages.
--             post_transaction now appends the log itself, one INSERT … VALUES per posting for its watched
--             wallets, two wallets to a log row (other_* columns). ledger.wallet_changes_since returns the same
--             changes as before, one per wallet, oldest first: the first wallet of a row keeps the row's id,
--             the second is `<id>.2` (ids are opaque strings to the live feed, which only recognises a change
--             read twice by its id). Rows written by announce_wallet_changes (holds, post_batch) have no second
--             wallet and read exactly as before.
--             Order: a log row takes its id while the posting holds both wallet rows (until its commit), so one
--             wallet's log ids still follow the order of its changes; within a row the lower account id comes
--             first. (A posting nets its legs per account, so a wallet appears once per posting.)
--          2. move_between_wallets calls ledger.assert_valid_amount (a PERFORM, a nested PL/pgSQL call) only
--             when the amount is outside 1..10^15; that function still raises, with the same SQLSTATE and text.
-- Access: unchanged (create or replace keeps grants, owners and comments; service_role reads the log through
--         wallet_changes_since).
-- Risk: high (money): the same checks in the same order, the same SQLSTATEs, the same lock order (wallet
--       rows in ascending account id), the same request hash and proof marker. Tested:
--       supabase/tests/64_posting_cost_test.sql, tests/integration/ledger_*,
--       tests/integration/wallet_live_feed_test.ts.

alter table ledger.wallet_changes
  add column other_user_id uuid,
  add column other_account_id bigint,
  add column other_balance bigint,
  add column other_held bigint,
  add column other_updated_at timestamptz;
comment on table ledger.wallet_changes is
  'Change log of watched wallets for the live feeds: the new wallet_balances row (and, for a posting that changed two watched wallets, the second one in other_*), with the writing transaction''s xid. Written by the posting functions instead of NOTIFY; read by ledger.wallet_changes_since; rows older than five minutes are deleted by pg_cron. Unlogged: lost on a crash, when live views start again from the balances.';

create or replace function ledger.wallet_changes_since(since xid8)
returns table (horizon xid8, changes jsonb)
language sql stable security definer set search_path = '' as $$
  select pg_snapshot_xmin(pg_current_snapshot()),
         coalesce((select jsonb_agg(jsonb_build_object(
                     'id', x.id, 'xid', x.xid::text, 'user_id', x.user_id,
                     'balance', x.balance::text, 'held', x.held::text,
                     'available', (x.balance - x.held)::text, 'updated_at', x.updated_at) order by x.n, x.half)
                   from (select c.id as n, 1 as half, c.id::text as id, c.xid, c.user_id, c.balance, c.held,
                                c.updated_at
                         from ledger.wallet_changes c where c.xid >= since
                         union all
                         select c.id, 2, c.id::text || '.2', c.xid, c.other_user_id, c.other_balance, c.other_held,
                                c.other_updated_at
                         from ledger.wallet_changes c where c.xid >= since and c.other_account_id is not null) x),
                  '[]'::jsonb)
$$;

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
  pending ledger.wallet_balances;
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
      -- Someone has a live view of this wallet: its new row goes to the change log, two wallets to a log
      -- row (a transfer between two watched wallets appends one row). A row takes its id while this
      -- transaction holds both wallet rows, so a wallet's log ids follow the order of its changes.
      if changed.watched_until > now() then
        if pending.account_id is null then
          pending := changed;
        else
          insert into ledger.wallet_changes (user_id, account_id, balance, held, updated_at,
            other_user_id, other_account_id, other_balance, other_held, other_updated_at)
          values (pending.user_id, pending.account_id, pending.balance, pending.held, pending.updated_at,
            changed.user_id, changed.account_id, changed.balance, changed.held, changed.updated_at);
          pending := null;
        end if;
      end if;
    elsif deltas[i] < 0 and exists (select 1 from ledger.wallet_balances b where b.account_id = ids[i]) then
      raise exception 'insufficient_funds' using errcode = 'LW001',
        detail = format('account %s cannot cover %s rials', ids[i], -deltas[i]);
    elsif not exists (select 1 from ledger.accounts a where a.id = ids[i]) then
      raise exception 'account_not_found' using errcode = 'LW015', detail = format('no account %s', ids[i]);
    end if;
    changed := null;
  end loop;
  if pending.account_id is not null then
    insert into ledger.wallet_changes (user_id, account_id, balance, held, updated_at)
    values (pending.user_id, pending.account_id, pending.balance, pending.held, pending.updated_at);
  end if;

  -- The legs were proven to sum to zero above: the commit-time check may skip this transaction's rows.
  perform set_config('ledger.proven_transactions', posted || '-' || posted, true);
  insert into ledger.entries (transaction_id, leg, account_id, amount)
  select posted, t.leg::smallint, t.a, t.m
  from unnest(account_ids, amounts) with ordinality as t (a, m, leg);
  perform set_config('ledger.proven_transactions', '', true);
  return posted;
end $$;


create or replace function ledger.move_between_wallets(
  from_user uuid, to_user uuid, amount bigint, scope text, idempotency_key text, note text
) returns bigint
language plpgsql as $$
declare
  from_account bigint;
  to_account bigint;
begin
  -- ledger.assert_valid_amount states the rule and raises; called only when the amount is outside it.
  if amount is null or amount not between 1 and 1000000000000000 then
    perform ledger.assert_valid_amount(amount);
  end if;
  if note is not null and length(note) > 200 then
    raise exception 'invalid_input' using errcode = 'LW018', detail = 'The note is longer than 200 characters.';
  end if;
  if from_user = to_user then
    raise exception 'self_transfer' using errcode = 'LW005', detail = 'You cannot transfer to yourself.';
  end if;
  -- Both wallets in one look; a user without a wallet yet gets one (ledger.wallet_account_id), as before.
  select max(a.id) filter (where a.user_id = from_user), max(a.id) filter (where a.user_id = to_user)
  into from_account, to_account
  from ledger.accounts a where a.user_id in (from_user, to_user);
  from_account := coalesce(from_account, ledger.wallet_account_id(from_user));
  if from_account is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'The sender has no wallet.';
  end if;
  to_account := coalesce(to_account, ledger.wallet_account_id(to_user));
  if to_account is null then
    raise exception 'recipient_not_found' using errcode = 'LW003';
  end if;
  return ledger.post_transaction('transfer', scope, idempotency_key,
    jsonb_build_object('from', from_user, 'to', to_user, 'amount', amount, 'note', note),
    jsonb_strip_nulls(jsonb_build_object('from_user', from_user, 'to_user', to_user, 'note', note)),
    array[from_account, to_account], array[-amount, amount]);
end $$;
