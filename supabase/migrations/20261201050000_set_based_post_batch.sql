-- Purpose: batch postings (ledger.post_batch, ledger.transfer_batch_with_key) at a fraction of the server
--          work per posting, and with the wallet rows locked only for the balance update. The body,
--          ledger.post_transfer_batch, now takes one of two paths:
--          - set-based (the usual batch: every item well-formed, every key new and distinct, every wallet
--            known, and no wallet's running balance below zero in item order, a window sum per wallet): it
--            inserts the transactions and their entries with one INSERT … SELECT each, then locks every
--            wallet of the batch in one statement in ascending account id, re-checks the running balances
--            on the locked rows and updates each wallet once with the batch's net. If the locked balances
--            no longer cover the batch (another posting spent the money meanwhile), the inserts are rolled
--            back (a subtransaction) and the batch is decided sequentially;
--          - sequential (anything else): the items decided one after another, as before.
--          Cheaper parsing: no regular expression per item unless an id fails the cheap shape check (a
--          36-character string with dashes where a UUID has them, then a cast); the request hash is md5 of
--          the same text jsonb would print (keys in jsonb's order), built as text.
--          The idempotency keys are looked up with one index scan (= any), not a hash join over the whole
--          transactions table (which grew with the ledger: 15% of a batch's time on 48,000 transactions).
-- Semantics: each item is decided as ledger.post_transfer decides it when called for the items one after
--          another, and now with the same precedence of refusals: invalid_input (not an object, bad ids),
--          invalid_amount, invalid_input (note), self_transfer, account_not_found, recipient_not_found,
--          invalid_idempotency_key, then a replay (same request) or idempotency_conflict, then
--          insufficient_funds. (Before, a malformed key or a replayed key was reported ahead of a bad
--          amount or an unknown wallet.) tests/integration/post_batch_property_test.ts compares batches
--          with post_transfer called item by item, on random batches, on both paths.
--          The path taken is left in the transaction-local setting ledger.batch_path ('set' or
--          'sequential') for tests.
-- Invariants kept: wallet rows are locked in ascending account id in one statement (every posting locks in
--          that order, so batches and single transfers cannot deadlock on wallets); the overdraft guard
--          (balance - held + delta >= 0 on the locked row, and the check constraints) is unchanged; the
--          request hash equals post_transfer's; each transaction's legs sum to zero by construction and
--          are marked proven (ledger.proven_transactions) only while their one insert runs; a key another
--          database transaction posts at the same moment fails the batch with LW029 batch_retry.
-- Access: unchanged (ledger.post_transfer_batch is internal, no grants).
-- Risk: high (money). Tests: tests/integration/post_batch_test.ts, post_batch_property_test.ts.

/**
 * True when, taken in order, the items never overdraw a wallet: item i moves item_amounts[i] from wallet
 * item_from[i] to wallet item_to[i], and wallet_ids[j] (every wallet of the items) holds wallet_available[j]
 * before the batch. A window sum per wallet: item i's debit is covered when what the wallet held plus every
 * leg of that wallet up to and including item i is not negative.
 */
create function ledger.batch_fits(
  item_from bigint[], item_to bigint[], item_amounts bigint[], wallet_ids bigint[], wallet_available bigint[]
) returns boolean
language plpgsql stable as $$
begin
  -- Enough for all of a wallet's debits in the batch before any credit: covered in any order.
  if not exists (
    select 1
    from (select x.f as account, sum(x.a) as debits from unnest(item_from, item_amounts) as x (f, a) group by x.f) d
    join unnest(wallet_ids, wallet_available) as w (account, held_before) on w.account = d.account
    where d.debits > w.held_before
  ) then
    return true;
  end if;
  return (
    select coalesce(bool_and(r.covered), true)
    from (
      select l.delta < 0 as debit,
             w.held_before + sum(l.delta) over (partition by l.account order by l.o rows unbounded preceding) >= 0
               as covered
      from (select x.f as account, -x.a as delta, x.o
            from unnest(item_from, item_amounts) with ordinality as x (f, a, o)
            union all
            select x.t, x.a, x.o from unnest(item_to, item_amounts) with ordinality as x (t, a, o)) l
      join unnest(wallet_ids, wallet_available) as w (account, held_before) on w.account = l.account
    ) r
    where r.debit);
end $$;
comment on function ledger.batch_fits(bigint[], bigint[], bigint[], bigint[], bigint[]) is
  'Whether a batch of transfers, taken in order, never overdraws a wallet (running balance per wallet). Internal: ledger.post_transfer_batch.';
revoke execute on function ledger.batch_fits(bigint[], bigint[], bigint[], bigint[], bigint[])
  from public, anon, authenticated, service_role;

/**
 * Inserts the transfers (one transaction each, in item order, and its two legs) and returns their ids in
 * that order. A key already in the scope (posted before, by a database transaction that committed
 * meanwhile, or twice among these) raises LW002 before any entry is written; the caller decides what that
 * means. Each transaction's legs sum to zero by construction (-amount, +amount), so the commit-time check
 * skips them (ledger.proven_transactions, only while the entries insert runs).
 */
create function ledger.insert_batch_transfers(
  scope text, keys text[], hashes uuid[], from_users uuid[], to_users uuid[], notes text[],
  from_accounts bigint[], to_accounts bigint[], amounts bigint[], extra jsonb
) returns bigint[]
language plpgsql as $$
declare
  creator uuid := auth.uid();
  ids bigint[];
  inserted_rows integer;
begin
  with inserted as (
    insert into ledger.transactions (kind, idempotency_scope, idempotency_key, request_hash, metadata, created_by)
    select 'transfer', scope, x.k, x.h,
           case when x.note is null then jsonb_build_object('from_user', x.f, 'to_user', x.t)
                else jsonb_build_object('from_user', x.f, 'to_user', x.t, 'note', x.note) end
             || coalesce(extra, '{}'),
           creator
    from unnest(keys, hashes, from_users, to_users, notes) with ordinality as x (k, h, f, t, note, o)
    order by x.o
    on conflict on constraint transactions_idempotency_key do nothing
    returning id, idempotency_key
  )
  select array_agg(ins.id order by x.o), (select count(*) from inserted) into ids, inserted_rows
  from unnest(keys) with ordinality as x (k, o) join inserted ins on ins.idempotency_key = x.k;
  if inserted_rows <> cardinality(keys) then
    raise exception 'idempotency_conflict' using errcode = 'LW002',
      detail = 'An idempotency key of the batch is already posted.';
  end if;

  perform set_config('ledger.proven_transactions', (select min(x) || '-' || max(x) from unnest(ids) x), true);
  insert into ledger.entries (transaction_id, leg, account_id, amount)
  select x.id, l.leg, case when l.leg = 1 then x.f else x.t end, case when l.leg = 1 then -x.a else x.a end
  from unnest(ids, from_accounts, to_accounts, amounts) as x (id, f, t, a),
       (values (1::smallint), (2::smallint)) as l (leg)
  order by x.id, l.leg;
  perform set_config('ledger.proven_transactions', '', true);
  return ids;
end $$;
comment on function ledger.insert_batch_transfers(text, text[], uuid[], uuid[], uuid[], text[], bigint[], bigint[], bigint[], jsonb) is
  'The transactions and entries of a batch''s accepted transfers, in item order; LW002 when a key is already posted. Internal: ledger.post_transfer_batch.';
revoke execute on function ledger.insert_batch_transfers(text, text[], uuid[], uuid[], uuid[], text[], bigint[], bigint[], bigint[], jsonb)
  from public, anon, authenticated, service_role;

/**
 * Adds the transfers' net per wallet to each wallet row (locked by the caller), once per wallet, under the
 * overdraft guard (balance - held + net >= 0, and the check constraints), and announces the watched ones.
 * LW001 when a wallet cannot cover its net (which the caller has ruled out on the locked rows).
 */
create function ledger.apply_batch_nets(from_accounts bigint[], to_accounts bigint[], amounts bigint[])
returns void
language plpgsql as $$
declare
  wallets integer;
  changed_users uuid[];
begin
  with deltas as (
    select d.account, sum(d.delta) as delta
    from (select x.f as account, -x.a as delta from unnest(from_accounts, amounts) as x (f, a)
          union all
          select x.t, x.a from unnest(to_accounts, amounts) as x (t, a)) d
    group by d.account
  ),
  changed as (
    update ledger.wallet_balances b set balance = b.balance + d.delta, updated_at = now()
    from deltas d
    where b.account_id = d.account and b.balance - b.held + d.delta >= 0
    returning b.user_id
  )
  select (select array_agg(c.user_id) from changed c), (select count(*) from deltas) into changed_users, wallets;
  if coalesce(cardinality(changed_users), 0) <> wallets then
    raise exception 'insufficient_funds' using errcode = 'LW001', detail = 'A wallet of the batch cannot cover it.';
  end if;
  if exists (select 1 from ledger.wallet_watchers w where w.user_id = any (changed_users) and w.expires_at > now()) then
    perform ledger.announce_wallet_changes(
      array(select w from ledger.wallet_balances w
            where w.account_id = any (from_accounts || to_accounts) order by w.account_id),
      changed_users);
  end if;
end $$;
comment on function ledger.apply_batch_nets(bigint[], bigint[], bigint[]) is
  'One balance update per wallet with a batch''s net, under the overdraft guard; announces watched wallets. Internal: ledger.post_transfer_batch.';
revoke execute on function ledger.apply_batch_nets(bigint[], bigint[], bigint[])
  from public, anon, authenticated, service_role;

create or replace function ledger.post_transfer_batch(scope text, transfers jsonb, extra_metadata jsonb default '{}')
returns table (item integer, transaction_id bigint, created boolean, error text)
language plpgsql as $$
#variable_conflict use_column
declare
  n integer;
  extra jsonb := nullif(coalesce(extra_metadata, '{}'), '{}');
  careful boolean := false;
  -- Per item (1..n): the parsed request and what became of it.
  from_users uuid[];
  to_users uuid[];
  amounts bigint[];
  keys text[];
  notes text[];
  hashes uuid[];
  errors text[];
  refused integer;
  from_accounts bigint[];
  to_accounts bigint[];
  posted bigint[];
  fresh boolean[];
  -- Set-based path.
  set_based boolean;
  wallets bigint[];
  available bigint[];
  locked bigint[];
  bad_keys integer;
  -- Sequential path.
  key_groups integer[];   -- the first item of the batch with the same key
  from_slots integer[];
  to_slots integer[];
  replays_item integer[]; -- an earlier item of this batch whose transaction this item replays
  earlier_ids bigint[];
  earlier_hashes uuid[];
  holder integer[];       -- per key group: the item of this batch that posted the key
  has_row boolean[];
  wallets_made boolean := false;
  accepted integer[] := '{}'::integer[];
  new_ids bigint[];
  g integer;
begin
  if transfers is null or jsonb_typeof(transfers) <> 'array' then
    raise exception 'batch_invalid' using errcode = 'LW028', detail = 'The batch is a JSON array of transfers.';
  end if;
  n := jsonb_array_length(transfers);
  if n not between 1 and 1000 then
    raise exception 'batch_invalid' using errcode = 'LW028',
      detail = format('A batch holds 1 to 1000 transfers, not %s.', n);
  end if;

  -- Parse: a field of the wrong shape makes its item refused, never the whole batch. An id is a UUID in its
  -- 8-4-4-4-12 form; the cheap check (length and dashes) lets the cast decide the rest, and only a batch
  -- in which a cast fails is parsed again with the exact pattern.
  loop
    begin
      select array_agg(c.f), array_agg(c.t), array_agg(c.a), array_agg(c.k), array_agg(c.note),
             array_agg(c.refusal),
             -- The request hash exactly as post_transfer makes it: md5 of jsonb's text of
             -- {kind, from, to, amount, note}, whose keys jsonb prints by length, then bytes.
             array_agg(case when c.refusal is null then
               md5('{"to": "' || c.t::text || '", "from": "' || c.f::text || '", "kind": "transfer", "note": '
                   || coalesce(to_json(c.note)::text, 'null') || ', "amount": ' || c.a::text || '}')::uuid
             end),
             count(c.refusal), count(*) filter (where c.k is null or length(c.k) not between 1 and 255)
      into from_users, to_users, amounts, keys, notes, errors, hashes, refused, bad_keys
      from (
        select p.f, p.t, p.a, p.k, p.note,
          case
            when p.f is null or p.t is null then 'invalid_input'
            when p.a is null then 'invalid_amount'
            when p.note_invalid then 'invalid_input'
            when p.f = p.t then 'self_transfer'
          end as refusal
        from (
          -- A value that is not an object has no fields: its ids are null (invalid_input).
          select
            case when jsonb_typeof(e.v -> 'from') = 'string' and length(e.v ->> 'from') = 36
                      and substr(e.v ->> 'from', 9, 1) = '-' and substr(e.v ->> 'from', 14, 1) = '-'
                      and substr(e.v ->> 'from', 19, 1) = '-' and substr(e.v ->> 'from', 24, 1) = '-'
                      and (not careful or (e.v ->> 'from') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$')
                 then (e.v ->> 'from')::uuid end as f,
            case when jsonb_typeof(e.v -> 'to') = 'string' and length(e.v ->> 'to') = 36
                      and substr(e.v ->> 'to', 9, 1) = '-' and substr(e.v ->> 'to', 14, 1) = '-'
                      and substr(e.v ->> 'to', 19, 1) = '-' and substr(e.v ->> 'to', 24, 1) = '-'
                      and (not careful or (e.v ->> 'to') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$')
                 then (e.v ->> 'to')::uuid end as t,
            -- A whole number of rials from 1 to 10^15 (5.0 and "5" are not).
            case when jsonb_typeof(e.v -> 'amount') = 'number' and scale((e.v -> 'amount')::numeric) = 0
                      and (e.v -> 'amount')::numeric between 1 and 1000000000000000
                 then (e.v -> 'amount')::numeric::bigint end as a,
            case when jsonb_typeof(e.v -> 'idempotency_key') = 'string' then e.v ->> 'idempotency_key' end as k,
            case when jsonb_typeof(e.v -> 'note') = 'string' then nullif(btrim(e.v ->> 'note'), '') end as note,
            coalesce(jsonb_typeof(e.v -> 'note'), 'null') not in ('string', 'null')
              or coalesce(length(btrim(e.v ->> 'note')) > 200, false) as note_invalid
          from jsonb_array_elements(transfers) with ordinality as e (v, ord)
          order by e.ord
        ) p
      ) c;
      exit;
    exception when invalid_text_representation then
      -- A 36-character id that is not hexadecimal: the exact pattern decides, item by item.
      if careful then
        raise;
      end if;
      careful := true;
    end;
  end loop;

  -- The wallets: one look-up for every user of the batch, with what each holds (read without a lock). A user
  -- without a wallet yet gets one, as post_transfer gives them, and the look-up runs again.
  loop
    with found as materialized (
      select a.user_id, a.id, w.balance - w.held as available
      from ledger.accounts a left join ledger.wallet_balances w on w.account_id = a.id
      where a.user_id = any (from_users || to_users)
    )
    select array_agg(fa.id order by x.o), array_agg(ta.id order by x.o),
           coalesce((select array_agg(f.id order by f.id) from found f), '{}'),
           coalesce((select array_agg(f.available order by f.id) from found f), '{}')
    into from_accounts, to_accounts, wallets, available
    from unnest(from_users, to_users) with ordinality as x (f, t, o)
    left join found fa on fa.user_id = x.f
    left join found ta on ta.user_id = x.t;
    exit when wallets_made or (array_position(from_accounts, null) is null
                               and array_position(to_accounts, null) is null);
    perform ledger.wallet_account_id(u.u)
    from (select distinct x.u from unnest(from_users || to_users) as x (u)) u
    where u.u is not null and not exists (select 1 from ledger.accounts a where a.user_id = u.u);
    wallets_made := true;
  end loop;

  -- The set-based path takes a batch with nothing to refuse: every item well-formed with a valid key,
  -- between known wallets with balance rows that, read now, cover every item in order. Keys already used
  -- (before, or twice in the batch) show at the insert, which then gives way to the sequential path.
  set_based := refused = 0 and bad_keys = 0
    and array_position(from_accounts, null) is null and array_position(to_accounts, null) is null
    and array_position(available, null) is null
    and ledger.batch_fits(from_accounts, to_accounts, amounts, wallets, available);

  if set_based then
    begin
      -- The transactions and their entries first: the wallets stay unlocked meanwhile.
      posted := ledger.insert_batch_transfers(scope, keys, hashes, from_users, to_users, notes,
        from_accounts, to_accounts, amounts, extra);

      -- Every wallet of the batch, locked in one statement in ascending account id, as every posting locks.
      -- If a wallet holds less now than when it was read above (another posting spent from it meanwhile),
      -- the running balances are checked again on the locked rows.
      select array_agg(b.available order by b.account_id) into locked
      from (select w.account_id, w.balance - w.held as available from ledger.wallet_balances w
            where w.account_id = any (wallets) order by w.account_id for no key update) b;
      if coalesce(cardinality(locked), 0) <> cardinality(wallets)
         or (exists (select 1 from unnest(available, locked) as x (before, now) where x.now < x.before)
             and not ledger.batch_fits(from_accounts, to_accounts, amounts, wallets, locked)) then
        -- Spent meanwhile: undo the inserts and decide item by item.
        raise exception 'insufficient_funds' using errcode = 'LW001';
      end if;
      perform ledger.apply_batch_nets(from_accounts, to_accounts, amounts);
    exception
      -- A key already posted (or used twice in the batch), or money spent meanwhile: the sequential path.
      when sqlstate 'LW001' or sqlstate 'LW002' then
        set_based := false;
    end;
  end if;

  if set_based then
    perform set_config('ledger.batch_path', 'set', true);
    return query
      select x.o::integer, x.id, true, null::text from unnest(posted) with ordinality as x (id, o);
    return;
  end if;

  perform set_config('ledger.batch_path', 'sequential', true);
  -- Sequential path. Per item: the first item with its key, and the transaction that already holds the key
  -- in this scope.
  select array_agg(x.grp order by x.ord), array_agg(t.id order by x.ord), array_agg(t.request_hash order by x.ord)
  into key_groups, earlier_ids, earlier_hashes
  from (select k.key, k.ord::integer as ord, min(k.ord) over (partition by k.key)::integer as grp
        from unnest(keys) with ordinality as k (key, ord)) x
  left join (select t.idempotency_key, t.id, t.request_hash from ledger.transactions t
             where t.idempotency_scope = scope and t.idempotency_key = any (keys)) t
    on t.idempotency_key = x.key;

  -- Lock the batch's wallet rows in ascending account id, as every posting does, and read what each holds;
  -- each item's wallets as positions in that list.
  select array_agg(coalesce(b.available, 0) order by s.o), array_agg(b.account_id is not null order by s.o)
  into available, has_row
  from unnest(wallets) with ordinality as s (id, o)
  left join (select w.account_id, w.balance - w.held as available from ledger.wallet_balances w
             where w.account_id = any (wallets) order by w.account_id for no key update) b
    on b.account_id = s.id;
  select array_agg(fs.o order by x.o), array_agg(ts.o order by x.o) into from_slots, to_slots
  from unnest(from_accounts, to_accounts) with ordinality as x (f, t, o)
  left join unnest(wallets) with ordinality as fs (id, o) on fs.id = x.f
  left join unnest(wallets) with ordinality as ts (id, o) on ts.id = x.t;

  -- Decide the items in order, as post_transfer would decide them one after another.
  fresh := array_fill(false, array[n]);
  replays_item := array_fill(null::integer, array[n]);
  posted := array_fill(null::bigint, array[n]);
  holder := array_fill(null::integer, array[n]);
  for i in 1..n loop
    continue when errors[i] is not null;
    g := key_groups[i];
    if from_slots[i] is null then
      errors[i] := 'account_not_found';
    elsif to_slots[i] is null then
      errors[i] := 'recipient_not_found';
    elsif keys[i] is null or length(keys[i]) not between 1 and 255 then
      errors[i] := 'invalid_idempotency_key';
    elsif earlier_ids[i] is not null then
      -- Posted before this batch: a replay, or a different request under the same key.
      if earlier_hashes[i] is distinct from hashes[i] then
        errors[i] := 'idempotency_conflict';
      else
        posted[i] := earlier_ids[i];
      end if;
    elsif holder[g] is not null then
      -- Posted by an earlier item of this batch.
      if hashes[holder[g]] is distinct from hashes[i] then
        errors[i] := 'idempotency_conflict';
      else
        replays_item[i] := holder[g];
      end if;
    elsif not coalesce(has_row[from_slots[i]], false) or available[from_slots[i]] < amounts[i] then
      errors[i] := 'insufficient_funds';
    else
      available[from_slots[i]] := available[from_slots[i]] - amounts[i];
      available[to_slots[i]] := available[to_slots[i]] + amounts[i];
      fresh[i] := true;
      holder[g] := i;
      accepted := accepted || i;
    end if;
  end loop;

  if cardinality(accepted) > 0 then
    begin
      new_ids := ledger.insert_batch_transfers(scope,
        array(select keys[a.i] from unnest(accepted) as a (i) order by a.i),
        array(select hashes[a.i] from unnest(accepted) as a (i) order by a.i),
        array(select from_users[a.i] from unnest(accepted) as a (i) order by a.i),
        array(select to_users[a.i] from unnest(accepted) as a (i) order by a.i),
        array(select notes[a.i] from unnest(accepted) as a (i) order by a.i),
        array(select from_accounts[a.i] from unnest(accepted) as a (i) order by a.i),
        array(select to_accounts[a.i] from unnest(accepted) as a (i) order by a.i),
        array(select amounts[a.i] from unnest(accepted) as a (i) order by a.i),
        extra);
    exception when sqlstate 'LW002' or unique_violation then
      -- Another database transaction posted one of these keys at the same moment: nothing is posted.
      raise exception 'batch_retry' using errcode = 'LW029',
        detail = 'Another request posted one of these idempotency keys at the same moment; send the batch again.';
    end;
    for j in 1..cardinality(accepted) loop
      posted[accepted[j]] := new_ids[j];
    end loop;
    -- The wallet rows are locked above, so the guard cannot fail here; it stays, as in post_transaction.
    perform ledger.apply_batch_nets(
      array(select from_accounts[a.i] from unnest(accepted) as a (i) order by a.i),
      array(select to_accounts[a.i] from unnest(accepted) as a (i) order by a.i),
      array(select amounts[a.i] from unnest(accepted) as a (i) order by a.i));
  end if;

  for i in 1..n loop
    if replays_item[i] is not null then
      posted[i] := posted[replays_item[i]];
    end if;
  end loop;
  return query
    select k.i, case when errors[k.i] is null then posted[k.i] end, fresh[k.i], errors[k.i]
    from generate_series(1, n) as k (i)
    order by k.i;
end $$;
